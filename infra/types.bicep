// Types shared by the templates. The layout types describe Core/Storage/containers.json: ARM checks
// the Cosmos DB module's parameter against them at deployment, and the Deployment tests check that
// the file declares no member these types lack.

@export()
@sealed()
@description('A Cosmos DB container as Core/Storage/containers.json declares it.')
type containerDefinition = {
  @description('Container id.')
  name: string

  @description('Partition key path, for example /orgId. Cosmos DB cannot change it after the container exists.')
  partitionKeyPath: string

  @description('Paths that each form a single-path unique key within a logical partition. Fixed at container creation.')
  uniqueKeyPaths: string[]

  @description('Default item time to live in seconds. Absent or null leaves TTL off, and -1 turns it on without expiring items by default.')
  defaultTtlSeconds: int?
}

@export()
@sealed()
@description('The Cosmos DB database, its containers and the storage queues the app uses.')
type storageLayout = {
  @description('Cosmos DB database id.')
  databaseName: string

  @description('Containers of the database.')
  containers: containerDefinition[]

  @description('Storage queue names, including the poison queue the Functions host writes to.')
  queues: string[]
}

@export()
@description('Resource tags: tag names mapped to string values.')
type resourceTags = {
  *: string
}

@export()
@description('Key Vault secret names by the app setting that references each secret.')
type secretNamesBySetting = {
  *: string
}
