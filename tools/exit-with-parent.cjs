'use strict';
// Preloaded with `node -r` into the local services that ./dev and the tests start: ends this
// process once its owner is gone, so a killed test run or ./dev leaves no Azurite or Cosmos
// stand-in behind. The owner is the process id in LOCAL_SERVICES_OWNER_PID when set (checked
// with signal 0), else the parent process, whose id changes when this process is adopted.
const ownerId = Number.parseInt(process.env.LOCAL_SERVICES_OWNER_PID ?? '', 10);
const parentId = process.ppid;

function ownerIsGone() {
  if (!Number.isInteger(ownerId) || ownerId <= 0) {
    return process.ppid !== parentId;
  }
  try {
    process.kill(ownerId, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

setInterval(() => {
  if (ownerIsGone()) {
    process.exit(0);
  }
}, 1000).unref();
