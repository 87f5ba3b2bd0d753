using Microsoft.Azure.Cosmos;

namespace ContactEnrichment.Core.Storage;

public static class ContainerExtensions
{
    /// <summary>
    /// Runs a query within one partition and reads every page. The query text must also filter on
    /// the partition key value: the local stand-in ignores the partition key option of a query.
    /// </summary>
    public static async Task<IReadOnlyList<T>> QueryAllAsync<T>(
        this Container container, QueryDefinition query, string partitionKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(
            query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partitionKey) });
        while (iterator.HasMoreResults)
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return results;
    }
}
