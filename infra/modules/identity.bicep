// The user-assigned managed identity the Function App runs as. It exists before the app, so its
// role assignments are in place when the app first starts and reads storage, Cosmos DB and Key Vault.

import { resourceTags } from '../types.bicep'

@description('Azure region of the identity.')
param location string

@description('Name of the user-assigned managed identity.')
param name string

@description('Tags applied to the identity.')
param tags resourceTags

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id, used to attach the identity to the Function App.')
output id string = identity.id

@description('Client id, which Azure.Identity and the Functions host use to pick this identity.')
output clientId string = identity.properties.clientId

@description('Object id of the service principal, the subject of the role assignments.')
output principalId string = identity.properties.principalId
