'use strict';
// Starts the Cosmos DB stand-in (@vercel/cosmosdb-server 1.0.1) over HTTPS with three fixes.
//
// 1. A point read of a missing document in a partitioned container returns 404 NotFound, as
//    Cosmos DB does. The package's read handler dereferences the missing document while it
//    checks the partition key, so without the fix it returns 500.
// 2. A conditional patch checks its filter against the one document it patches, as Cosmos DB
//    does. The package runs the filter as a query over every document of the container, in
//    every partition, so the cost of a patch grew with the container and a document with the
//    same id in another partition could satisfy it.
// 3. Connections stay open between requests, as they do with Cosmos DB's gateway. The package's
//    own command line sends `Connection: close` with every response, so each request paid for
//    a new TCP connection and TLS handshake on both sides.
//
// Arguments: --port N (0 picks a free port) and --host ADDRESS, as the package's command line.
const readDocument = require('@vercel/cosmosdb-server/lib/handler/read-document');

const originalReadDocument = readDocument.default;
readDocument.default = (account, req, res, params) => {
  try {
    return originalReadDocument(account, req, res, params);
  } catch (error) {
    if (!(error instanceof TypeError)) {
      throw error;
    }
    res.statusCode = 404;
    return { code: 'NotFound', message: 'Entity with the specified id does not exist in the system.' };
  }
};

const patchOperations = require('@vercel/cosmosdb-server/lib/handler/_patch-operations');
const { parsePartitionKey } = require('@vercel/cosmosdb-server/lib/utils/get-partition-from-header');

const originalPatchOperation = patchOperations.patchOperation;
patchOperations.patchOperation = (collection, input) => {
  if (!input.condition) {
    return originalPatchOperation(collection, input);
  }

  let target;
  try {
    target = collection.document(input.id, parsePartitionKey(input.partitionKey, input.id)).read();
  } catch {
    // A malformed partition key header: the package's own handler reports it.
    return originalPatchOperation(collection, input);
  }

  // The package builds the filter's query and calls documents.query once, synchronously, so
  // this instance property scopes that one call to the target document.
  const items = collection.documents;
  items.query = (params, options) =>
    items._getQuery(params.query).exec(target ? [target] : [], { ...options, parameters: params.parameters });
  try {
    return originalPatchOperation(collection, input);
  } finally {
    delete items.query;
  }
};

// The router reads the handler when it loads, so the fix must be in place before this line.
const { createHttpsServer } = require('@vercel/cosmosdb-server');

function argument(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

const port = Number.parseInt(argument('--port', '8081'), 10);
const host = argument('--host', '127.0.0.1');
const server = createHttpsServer({ keepAlive: true });

// Longer than the idle timeout of .NET's connection pool (1 minute since .NET 6, per the
// SocketsHttpHandler.PooledConnectionIdleTimeout docs). So the client closes an idle
// connection first and does not send a request on one the server is closing.
server.keepAliveTimeout = 5 * 60 * 1000;
server.headersTimeout = server.keepAliveTimeout + 1000;
server.listen(port, host, () => {
  const address = server.address();
  // The tests, the bench and ./dev wait for this line and read the port from it.
  console.log(`Ready to accept HTTPS connections at ${address.address}:${address.port}`);
});
