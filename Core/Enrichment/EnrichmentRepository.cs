using System.Net;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Serialization;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>
/// Enrichment records of one organization. Writes are guarded by entity tags or by the unique
/// <c>activeKey</c>, so that concurrent requests and redelivered messages cannot both win.
/// Reads, queries, creates and retirements repeat transient failures: a repeat of an applied
/// create gets 409 and of an applied retirement 412, which callers already handle by reading
/// the latest record again.
/// </summary>
public sealed class EnrichmentRepository(CosmosStore store, TransientStorageRetry retry)
{
    public async Task<EnrichmentDocument?> FindAsync(string orgId, string enrichmentId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await retry.ExecuteAsync("read enrichment record", token => store.Enrichments.ReadItemAsync<EnrichmentDocument>(
                enrichmentId, new PartitionKey(orgId), cancellationToken: token), cancellationToken);
            return response.Resource with { ETag = response.ETag };
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Returns the latest record for each person that has one, in one query.</summary>
    public async Task<IReadOnlyDictionary<string, EnrichmentDocument>> FindLatestAsync(
        string orgId, EnrichmentField field, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken)
    {
        var keys = personIds.Select(id => EnrichmentDocument.LatestKey(field, id)).ToList();
        var query = new QueryDefinition("SELECT * FROM c WHERE c.orgId = @orgId AND ARRAY_CONTAINS(@keys, c.activeKey)")
            .WithParameter("@orgId", orgId)
            .WithParameter("@keys", keys);
        var documents = await retry.ExecuteAsync(
            "query latest enrichment records", token => store.Enrichments.QueryAllAsync<EnrichmentDocument>(query, orgId, token), cancellationToken);
        return documents.ToDictionary(document => document.EntityId, StringComparer.Ordinal);
    }

    public async Task<EnrichmentDocument?> FindLatestAsync(
        string orgId, EnrichmentField field, string personId, CancellationToken cancellationToken)
    {
        var latest = await FindLatestAsync(orgId, field, [personId], cancellationToken);
        return latest.GetValueOrDefault(personId);
    }

    /// <summary>
    /// Creates the record; returns null when another record already holds its
    /// <see cref="EnrichmentDocument.ActiveKey"/> (unique key conflict).
    /// </summary>
    public async Task<EnrichmentDocument?> TryCreateAsync(EnrichmentDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            var response = await retry.ExecuteAsync("create enrichment record", token => store.Enrichments.CreateItemAsync(
                document with { ETag = null }, new PartitionKey(document.OrgId),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, token), cancellationToken);
            return document with { ETag = response.ETag };
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>
    /// Marks a latest record as replaced, if it has not changed since it was read, so that a new
    /// record can take its <c>activeKey</c>. Returns false when it changed.
    /// </summary>
    public async Task<bool> TryRetireAsync(EnrichmentDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            await retry.ExecuteAsync("retire enrichment record", token => store.Enrichments.PatchItemAsync<EnrichmentDocument>(
                document.Id, new PartitionKey(document.OrgId),
                [PatchOperation.Set("/activeKey", $"{document.ActiveKey}:{document.Id}")],
                new PatchItemRequestOptions { IfMatchEtag = document.ETag, EnableContentResponseOnWrite = false },
                token), cancellationToken);
            return true;
        }
        catch (CosmosException exception)
            when (exception.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces the record if it is unchanged since <see cref="EnrichmentDocument.ETag"/> was read.
    /// Returns the stored record with its new tag, or null when it changed in between.
    /// </summary>
    public async Task<EnrichmentDocument?> TryReplaceAsync(EnrichmentDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            var response = await store.Enrichments.ReplaceItemAsync(
                document with { ETag = null }, document.Id, new PartitionKey(document.OrgId),
                new ItemRequestOptions { IfMatchEtag = document.ETag, EnableContentResponseOnWrite = false },
                cancellationToken);
            return document with { ETag = response.ETag };
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }

    /// <summary>Returns the organization's pending records created at or before <paramref name="createdBefore"/>.</summary>
    public Task<IReadOnlyList<EnrichmentDocument>> FindPendingAsync(
        string orgId, DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        // At or before, like the sweep's own checks (pending for RequeueAfter or longer).
        var query = new QueryDefinition(
                "SELECT * FROM c WHERE c.orgId = @orgId AND c.status = 'pending' AND c.createdAt <= @before")
            .WithParameter("@orgId", orgId)
            .WithParameter("@before", UtcTimestampConverter.ToText(createdBefore));
        return retry.ExecuteAsync(
            "query pending enrichment records", token => store.Enrichments.QueryAllAsync<EnrichmentDocument>(query, orgId, token), cancellationToken);
    }
}
