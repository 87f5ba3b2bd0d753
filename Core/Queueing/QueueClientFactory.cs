using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Queueing;

/// <summary>
/// Creates queue clients from the Functions host's own storage setting, so that the app sends
/// to the queues its triggers listen on. Messages are Base64-encoded, as the queue trigger expects.
/// Pipeline policies registered in DI run on every request; tests use them to inject faults.
/// </summary>
public sealed class QueueClientFactory(
    IConfiguration configuration, StorageRequestCounter counter, IEnumerable<HttpPipelinePolicy> policies)
{
    public const string ConnectionSetting = "AzureWebJobsStorage";

    private readonly Lazy<QueueServiceClient> service = new(() => CreateService(configuration, counter, policies));

    public QueueClient GetQueue(string name) => service.Value.GetQueueClient(name);

    private static QueueServiceClient CreateService(
        IConfiguration configuration, StorageRequestCounter counter, IEnumerable<HttpPipelinePolicy> policies)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        if (configuration.GetValue<bool>("Cosmos:CountRequests"))
        {
            options.AddPolicy(counter.CreateQueuePolicy(), HttpPipelinePosition.PerCall);
        }

        var connectionString = configuration[ConnectionSetting];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new QueueServiceClient(connectionString, options);
        }

        var section = configuration.GetSection(ConnectionSetting);
        var serviceUri = section["queueServiceUri"];
        var accountName = section["accountName"];
        if (string.IsNullOrWhiteSpace(serviceUri) && !string.IsNullOrWhiteSpace(accountName))
        {
            serviceUri = $"https://{accountName}.queue.core.windows.net";
        }

        if (string.IsNullOrWhiteSpace(serviceUri))
        {
            throw new InvalidOperationException(
                "Storage is not configured: set AzureWebJobsStorage to a connection string, or " +
                "AzureWebJobsStorage__accountName for an identity-based connection.");
        }

        return new QueueServiceClient(new Uri(serviceUri), new DefaultAzureCredential(), options);
    }
}
