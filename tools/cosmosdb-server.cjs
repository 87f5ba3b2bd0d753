'use strict';
// Starts the Cosmos DB stand-in (@vercel/cosmosdb-server 1.0.1) with the same arguments as its
// own command line, plus one fix: a point read of a missing document in a partitioned container
// returns 404 NotFound, as Cosmos DB does. The package's read handler dereferences the missing
// document while it checks the partition key, so without the fix it returns 500.
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

// The router reads the handler when it loads, so the fix must be in place before this line.
require('@vercel/cosmosdb-server/lib/cli.js');
