using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace ContactEnrichment.DevHost.Queues;

/// <summary>
/// Creates the queue service client of a trigger's <c>Connection</c>, looked up as the
/// Functions host does: the setting itself, else <c>AzureWebJobs</c> plus its name; no name
/// means <c>AzureWebJobsStorage</c>.
/// </summary>
internal static class StorageConnection
{
    public const string DefaultSetting = "AzureWebJobsStorage";

    /// <exception cref="DevHostConfigurationException">The setting is missing or is not a connection string.</exception>
    public static QueueServiceClient CreateQueueServiceClient(IConfiguration configuration, string? connectionName, string functionName)
    {
        string[] candidates = string.IsNullOrEmpty(connectionName)
            ? [DefaultSetting]
            : [connectionName, "AzureWebJobs" + connectionName];

        foreach (var setting in candidates)
        {
            var key = Configuration.LocalSettingsFile.ToConfigurationKey(setting);
            if (!string.IsNullOrWhiteSpace(configuration[key]))
            {
                return Create(configuration[key]!, setting, functionName);
            }

            if (configuration.GetSection(key).GetChildren().Any())
            {
                throw new DevHostConfigurationException(
                    $"Function '{functionName}': the storage connection '{setting}' is identity-based; DevHost connects with a connection string only (UseDevelopmentStorage=true for Azurite).");
            }
        }

        throw new DevHostConfigurationException(
            $"Function '{functionName}': the storage connection setting {string.Join(" or ", candidates)} is missing; set it to a connection string (UseDevelopmentStorage=true for Azurite).");
    }

    private static QueueServiceClient Create(string connectionString, string setting, string functionName)
    {
        try
        {
            // Messages are received as raw text and decoded by the listener, so that a body that
            // is not Base64 can be moved to the poison queue as it is.
            return new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        }
        catch (FormatException exception)
        {
            throw new DevHostConfigurationException($"Function '{functionName}': the setting {setting} is not a valid storage connection string.", exception);
        }
    }
}
