// Production environment: provisioned autoscale Cosmos DB, zone-redundant storage, purge
// protection on the Key Vault that holds the provider keys, longer log retention.
using 'main.bicep'

param environmentName = 'prod'
param baseName = 'cenrich'
param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param storageSkuName = 'Standard_ZRS'
param cosmosCapacityMode = 'ProvisionedAutoscale'
param cosmosAutoscaleMaxThroughput = 4000
param logRetentionInDays = 90
param keyVaultPurgeProtection = true

// Set these to your identity provider before the first deployment (see docs/deploy.md).
param authAuthority = 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0'
param authAudience = 'api://contact-enrichment'
param authOrganizationClaim = 'org_id'

param emailProviderOrder = [
  'peopledatalabs'
  'hunter'
]
param phoneProviderOrder = [
  'peopledatalabs'
]
