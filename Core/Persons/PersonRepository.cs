using System.Net;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Persons;

/// <summary>Reads and writes the persons of one organization (partition key <c>/orgId</c>).</summary>
public sealed class PersonRepository(CosmosStore store, TransientStorageRetry retry)
{
    public async Task<PersonDocument?> FindAsync(string orgId, string personId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await retry.ExecuteAsync("read person", token => store.Persons.ReadItemAsync<PersonDocument>(
                personId, new PartitionKey(orgId), cancellationToken: token), cancellationToken);
            return response.Resource with { ETag = response.ETag };
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
        var ids = await retry.ExecuteAsync(
            "query person ids", token => store.Persons.QueryAllAsync<string>(query, orgId, token), cancellationToken);
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Adds found contact data to the person, keeping values it already has; retries when a
    /// concurrent writer changed the person in between. Does nothing if the person is gone.
    /// </summary>
    /// <param name="lastRead">
    /// The person as the caller last read it, with its entity tag. The first attempt writes
    /// against that tag instead of reading the person again. A stale tag costs one failed write
    /// and a fresh read.
    /// </param>
    public async Task MergeContactsAsync(
        string orgId, string personId, ContactData data, PersonDocument? lastRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var current = lastRead;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            current ??= await FindAsync(orgId, personId, cancellationToken);
            if (current is null)
            {
                return;
            }

            var person = current;
            var merged = person with
            {
                Emails = Enrichment.ContactMerge.Emails(person.Emails, data.Emails),
                Phones = Enrichment.ContactMerge.Phones(person.Phones, data.Phones),
            };
            if (merged.Emails.Count == person.Emails.Count && merged.Phones.Count == person.Phones.Count)
            {
                return;
            }

            try
            {
                await store.Persons.ReplaceItemAsync(merged with { ETag = null }, personId, new PartitionKey(orgId),
                    new ItemRequestOptions { IfMatchEtag = current.ETag, EnableContentResponseOnWrite = false }, cancellationToken);
                return;
            }
            catch (CosmosException exception)
                when (exception.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // Changed or deleted in between: read it again, then merge into the new version or stop.
                current = null;
            }
        }

        throw new InvalidOperationException($"Could not merge contacts into person {personId} after 5 attempts.");
    }

    public Task UpsertAsync(PersonDocument person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        return store.Persons.UpsertItemAsync(person with { ETag = null }, new PartitionKey(person.OrgId),
            new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
    }
}
