// Key Vault for the provider API keys. Access is granted by Azure RBAC roles, not access
// policies. An operator sets the secrets after deployment (see docs/deploy.md).

import { resourceTags } from '../types.bicep'

@description('Azure region of the vault.')
param location string

@description('Vault name: 3 to 24 letters, digits and hyphens, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Turns on purge protection, which keeps deleted secrets recoverable for the retention period. It cannot be turned off again.')
param enablePurgeProtection bool

@description('Tags applied to the vault.')
param tags resourceTags

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Key Vault rejects false once purge protection was on, so null leaves it off for a new vault.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

@description('Vault name.')
output name string = vault.name

@description('Vault URI with a trailing slash, for example https://name.vault.azure.net/.')
output uri string = vault.properties.vaultUri
