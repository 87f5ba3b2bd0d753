// Flex Consumption plan and the Function App. The app runs as the user-assigned identity and
// reaches storage, Cosmos DB, Key Vault and Application Insights with it: no app setting holds a
// key or a connection string with a key in it.

import { resourceTags, secretNamesBySetting } from '../types.bicep'

@description('Azure region of the plan and the app.')
param location string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Function App name, which is also the host name prefix <name>.azurewebsites.net.')
param name string

@description('Memory of each instance in MB.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Name of the storage account for the host and the queues.')
param storageAccountName string

@description('URL of the blob container that holds the app package.')
param deploymentContainerUrl string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Cosmos DB account endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('Key Vault URI with a trailing slash.')
param keyVaultUri string

@description('Key Vault secret names of the provider API keys, by app setting name.')
param providerKeySecretNames secretNamesBySetting

@description('OpenID Connect issuer whose metadata gives the token signing keys (Auth__Authority).')
param authAuthority string

@description('Audience that access tokens must carry (Auth__Audience).')
param authAudience string

@description('Token claim that holds the caller\'s organization id (Auth__OrganizationClaim).')
param authOrganizationClaim string

@description('Email provider names in waterfall order (Providers__Order__emails__0..n).')
param emailProviderOrder string[]

@description('Phone provider names in waterfall order (Providers__Order__phones__0..n).')
param phoneProviderOrder string[]

@description('Six-field NCRONTAB schedule of the sweep timers (SweepSchedule).')
param sweepSchedule string

@description('Fraction of traces the app sends to Application Insights, from 0 to 1 (Telemetry__SamplingRatio).')
param telemetrySamplingRatio string

@description('Browser origins allowed to call the HTTP functions, for example https://app.example.com. Empty allows none.')
param corsAllowedOrigins string[]

@description('Tags applied to the plan and the app.')
param tags resourceTags

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

var baseSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // DefaultAzureCredential in the app picks the user-assigned identity by this variable.
  AZURE_CLIENT_ID: identityClientId
  // The connection string carries only the ingestion endpoint and the component id. The
  // authentication string makes the host send telemetry with the identity's Entra token.
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  Cosmos__Endpoint: cosmosEndpoint
  Cosmos__DatabaseName: cosmosDatabaseName
  Auth__Authority: authAuthority
  Auth__Audience: authAudience
  Auth__OrganizationClaim: authOrganizationClaim
  SweepSchedule: sweepSchedule
  Telemetry__SamplingRatio: telemetrySamplingRatio
}

var providerKeySettings = toObject(
  items(providerKeySecretNames),
  entry => entry.key,
  entry => '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/${entry.value})'
)

var emailOrderSettings = toObject(
  range(0, length(emailProviderOrder)),
  index => 'Providers__Order__emails__${index}',
  index => emailProviderOrder[index]
)

var phoneOrderSettings = toObject(
  range(0, length(phoneProviderOrder)),
  index => 'Providers__Order__phones__${index}',
  index => phoneProviderOrder[index]
)

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: union(baseSettings, providerKeySettings, emailOrderSettings, phoneOrderSettings)
}

@description('Function App name.')
output name string = app.name

@description('Default host name, for example name.azurewebsites.net.')
output defaultHostName string = app.properties.defaultHostName
