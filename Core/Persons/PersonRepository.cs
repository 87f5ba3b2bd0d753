using System.Net;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Persons;

/// <summary>Reads and writes the persons of one organization (partition key <c>/orgId</c>).</summary>
public sealed class PersonRepository(CosmosStore store)
{
    public async Task<PersonDocument?> FindAsync(string orgId, string personId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await store.Persons.ReadItemAsync<PersonDocument>(personId, new PartitionKey(orgId), cancellationToken: cancellationToken);
            return response.Resource;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Returns which of <paramref name="personIds"/> name persons of the organization, in one query.</summary>
    public async Task<IReadOnlySet<string>> FindExistingIdsAsync(
        string orgId, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.orgId = @orgId AND ARRAY_CONTAINS(@ids, c.id)")
            .WithParameter("@orgId", orgId)
            .WithParameter("@ids", personIds);
        var ids = await store.Persons.QueryAllAsync<string>(query, orgId, cancellationToken);
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    public Task UpsertAsync(PersonDocument person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        return store.Persons.UpsertItemAsync(person, new PartitionKey(person.OrgId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
    }
}
