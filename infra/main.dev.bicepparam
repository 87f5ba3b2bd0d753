// Development environment: smallest settings, serverless Cosmos DB, purge protection off so the
// resource group can be deleted and recreated freely.
using 'main.bicep'

param environmentName = 'dev'
param baseName = 'cenrichdev'
param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param cosmosCapacityMode = 'Serverless'
param logRetentionInDays = 30
param keyVaultPurgeProtection = false

// Set these to your identity provider before the first deployment (see docs/deploy.md).
param authAuthority = 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0'
param authAudience = 'api://contact-enrichment-dev'
param authOrganizationClaim = 'org_id'

param emailProviderOrder = [
  'peopledatalabs'
  'hunter'
]
param phoneProviderOrder = [
  'peopledatalabs'
]
