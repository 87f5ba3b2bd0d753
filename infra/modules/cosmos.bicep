// Cosmos DB for NoSQL account, database and containers. The containers are created from
// Core/Storage/containers.json, the same file the app embeds, so their partition keys, unique keys
// and TTL match what the code expects. Key-based (local) auth is off: only Entra ID tokens work.

import { storageLayout, resourceTags } from '../types.bicep'

@description('Azure region of the account.')
param location string

@description('Account name: 3 to 44 lower-case letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(44)
param name string

@description('Serverless bills per request, and ProvisionedAutoscale sets autoscale throughput on the database, shared by its containers. An existing account keeps its capacity mode: switching needs a new account.')
@allowed([
  'Serverless'
  'ProvisionedAutoscale'
])
param capacityMode string

@description('Maximum request units per second of the database when capacityMode is ProvisionedAutoscale. Autoscale scales between 10% of it and it.')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Database, containers and queues from Core/Storage/containers.json.')
param layout storageLayout

@description('Tags applied to the account.')
param tags resourceTags

var isServerless = capacityMode == 'Serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: isServerless ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-10-15' = {
  parent: account
  name: layout.databaseName
  properties: {
    resource: {
      id: layout.databaseName
    }
    options: isServerless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-10-15' = [
  for container in layout.containers: {
    parent: database
    name: container.name
    properties: {
      resource: union(
        {
          id: container.name
          partitionKey: {
            paths: [container.partitionKeyPath]
            kind: 'Hash'
            version: 2
          }
          uniqueKeyPolicy: {
            uniqueKeys: map(container.uniqueKeyPaths, path => { paths: [path] })
          }
        },
        // Cosmos DB treats a missing defaultTtl as "TTL off", so the member is left out rather than sent as null.
        container.?defaultTtlSeconds == null ? {} : { defaultTtl: container.defaultTtlSeconds! }
      )
    }
  }
]

@description('Account name.')
output name string = account.name

@description('Account endpoint, the value of Cosmos__Endpoint.')
output endpoint string = account.properties.documentEndpoint
