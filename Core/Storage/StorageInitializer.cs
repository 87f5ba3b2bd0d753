using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using ContactEnrichment.Core.Queueing;

namespace ContactEnrichment.Core.Storage;

/// <summary>
/// Creates the database, containers and queues of <see cref="StorageLayout"/> when missing. Used
/// by local development and tests; in Azure the Bicep templates create them from the same layout.
/// </summary>
public sealed partial class StorageInitializer(CosmosStore store, QueueClientFactory queues, ILogger<StorageInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var database = (await store.Client.CreateDatabaseIfNotExistsAsync(store.DatabaseName, cancellationToken: cancellationToken)).Database;
        foreach (var definition in store.Layout.Containers)
        {
            var properties = new ContainerProperties(definition.Name, definition.PartitionKeyPath)
            {
                DefaultTimeToLive = definition.DefaultTtlSeconds,
            };
            foreach (var path in definition.UniqueKeyPaths)
            {
                properties.UniqueKeyPolicy.UniqueKeys.Add(new UniqueKey { Paths = { path } });
            }

            await database.CreateContainerIfNotExistsAsync(properties, cancellationToken: cancellationToken);
        }

        foreach (var queue in store.Layout.Queues)
        {
            await queues.GetQueue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        Log.Initialized(logger, store.DatabaseName, store.Layout.Containers.Count, store.Layout.Queues.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(5001, LogLevel.Information, "Storage is ready: database {Database} with {Containers} containers, and {Queues} queues")]
        public static partial void Initialized(ILogger logger, string database, int containers, int queues);
    }
}
