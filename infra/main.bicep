// Contact enrichment backend: a .NET 10 isolated-worker Function App on the Flex Consumption plan
// with Cosmos DB, Storage queues, Key Vault and Application Insights, connected by one
// user-assigned managed identity. Deploy into an existing resource group (see docs/deploy.md).

import { storageLayout, resourceTags, secretNamesBySetting } from 'types.bicep'

@description('Environment name, used in tags only: resource names come from baseName and the resource group.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('Azure region of every resource. It must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Short name in every resource name: 2 to 10 lower-case letters and digits, because storage account names allow nothing else.')
@minLength(2)
@maxLength(10)
param baseName string

@description('Memory of each Function App instance in MB. The plan also lists 512, which Microsoft.Web API versions up to 2024-04-01 reject.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound of Function App instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Storage account SKU.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Cosmos DB capacity mode: Serverless, or ProvisionedAutoscale with database-level autoscale throughput.')
@allowed([
  'Serverless'
  'ProvisionedAutoscale'
])
param cosmosCapacityMode string = 'Serverless'

@description('Maximum request units per second of the database when cosmosCapacityMode is ProvisionedAutoscale.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Days the Log Analytics workspace keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Turns on Key Vault purge protection, which cannot be turned off again.')
param keyVaultPurgeProtection bool = false

@description('Object id of a user, group or service principal that may set the provider API keys in Key Vault, or empty to grant nobody.')
param keyVaultOperatorPrincipalId string = ''

@description('OpenID Connect issuer whose discovery document gives the token signing keys, for example https://login.microsoftonline.com/<tenant-id>/v2.0.')
param authAuthority string

@description('Audience that access tokens must carry, for example the API\'s application id URI.')
param authAudience string

@description('Token claim that holds the caller\'s organization id.')
param authOrganizationClaim string = 'org_id'

@description('Email provider names in waterfall order, as the app registers them.')
param emailProviderOrder string[]

@description('Phone provider names in waterfall order, as the app registers them.')
param phoneProviderOrder string[]

@description('Browser origins allowed to call the HTTP API, for example https://app.example.com. Empty allows none.')
param corsAllowedOrigins string[] = []

@description('Six-field NCRONTAB schedule of the timer functions that sweep timed-out enrichments and stale reservations.')
param sweepSchedule string = '0 */1 * * * *'

@description('Fraction of traces the app sends to Application Insights, from 0 to 1 (Telemetry__SamplingRatio).')
param telemetrySamplingRatio string = '1'

@description('Tags added to every resource, next to environment and application.')
param tags resourceTags = {}

var layout storageLayout = loadJsonContent('../Core/Storage/containers.json')

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, baseName))
var allTags = union(tags, {
  application: 'contact-enrichment'
  environment: environmentName
})

// Names are known before deployment, so modules take them from here rather than from other
// modules' outputs and what-if can predict every resource.
var names = {
  identity: 'id-${baseName}-${resourceToken}'
  workspace: 'log-${baseName}-${resourceToken}'
  appInsights: 'appi-${baseName}-${resourceToken}'
  storage: take('st${baseName}${resourceToken}', 24)
  cosmos: 'cosmos-${baseName}-${resourceToken}'
  keyVault: 'kv-${baseName}-${take(resourceToken, 8)}'
  plan: 'plan-${baseName}-${resourceToken}'
  functionApp: 'func-${baseName}-${resourceToken}'
}

// Key Vault secret names of the provider API keys, by the app setting that references each.
var providerKeySecretNames secretNamesBySetting = {
  Providers__PeopleDataLabs__ApiKey: 'providers-peopledatalabs-apikey'
  Providers__Hunter__ApiKey: 'providers-hunter-apikey'
}

// Managed identity of the Function App, created first so that its roles exist before the app.
module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    name: names.identity
    tags: allTags
  }
}

// Log Analytics workspace and Application Insights.
module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionInDays
    tags: allTags
  }
}

// Storage for the Functions host, the enrichment queues and the deployment package.
module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    skuName: storageSkuName
    deploymentContainerName: 'app-package'
    queueNames: layout.queues
    tags: allTags
  }
}

// Cosmos DB account, database and containers from Core/Storage/containers.json.
module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    name: names.cosmos
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    layout: layout
    tags: allTags
  }
}

// Key Vault for the provider API keys.
module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    location: location
    name: names.keyVault
    enablePurgeProtection: keyVaultPurgeProtection
    tags: allTags
  }
}

// Data-plane roles of the app's identity on storage, Cosmos DB, Key Vault and Application Insights.
module roles 'modules/roleAssignments.bicep' = {
  name: 'roleAssignments'
  dependsOn: [
    identity
    monitoring
    storage
    cosmos
    keyVault
  ]
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    cosmosAccountName: names.cosmos
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    keyVaultOperatorPrincipalId: keyVaultOperatorPrincipalId
  }
}

// Flex Consumption plan and the Function App with identity-based app settings.
module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  dependsOn: [
    monitoring
    roles
  ]
  params: {
    location: location
    planName: names.plan
    name: names.functionApp
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsName: names.appInsights
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: layout.databaseName
    keyVaultUri: keyVault.outputs.uri
    providerKeySecretNames: providerKeySecretNames
    authAuthority: authAuthority
    authAudience: authAudience
    authOrganizationClaim: authOrganizationClaim
    emailProviderOrder: emailProviderOrder
    phoneProviderOrder: phoneProviderOrder
    sweepSchedule: sweepSchedule
    telemetrySamplingRatio: telemetrySamplingRatio
    corsAllowedOrigins: corsAllowedOrigins
    tags: allTags
  }
}

@description('Function App name, the target of the app deployment.')
output functionAppName string = functionApp.outputs.name

@description('URL of the health endpoint that the smoke check calls.')
output healthCheckUrl string = 'https://${functionApp.outputs.defaultHostName}/api/health'

@description('Key Vault that holds the provider API keys.')
output keyVaultName string = keyVault.outputs.name

@description('Key Vault secret names of the provider API keys, by app setting name.')
output providerKeySecretNames secretNamesBySetting = providerKeySecretNames

@description('Cosmos DB account name.')
output cosmosAccountName string = cosmos.outputs.name

@description('Cosmos DB account endpoint.')
output cosmosEndpoint string = cosmos.outputs.endpoint

@description('Storage account name.')
output storageAccountName string = storage.outputs.name

@description('Application Insights component name.')
output appInsightsName string = monitoring.outputs.appInsightsName
