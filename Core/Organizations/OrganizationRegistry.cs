using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Organizations;

/// <summary>
/// Lists organizations in one partition of the <c>organizations</c> container, so that the sweeps
/// can visit every organization with single-partition queries (the local stand-in has no
/// cross-partition queries).
/// </summary>
public sealed class OrganizationRegistry(CosmosStore store)
{
    public const string Partition = "organizations";

    private sealed record OrganizationEntry(string Id, string Partition);

    public Task RegisterAsync(string orgId, CancellationToken cancellationToken) =>
        store.Organizations.UpsertItemAsync(new OrganizationEntry(orgId, Partition), new PartitionKey(Partition),
            new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.partition = @partition")
            .WithParameter("@partition", Partition);
        return store.Organizations.QueryAllAsync<string>(query, Partition, cancellationToken);
    }
}
