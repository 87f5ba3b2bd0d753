using System.Net;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>
/// The organization-independent result for one identity key and field (partition key
/// <c>/id</c>). It stores contact data and provenance only, never who asked for it.
/// </summary>
public sealed record GlobalResultDocument
{
    public required string Id { get; init; }

    public required EnrichmentField Field { get; init; }

    public IReadOnlyList<ContactEmail> Emails { get; init; } = [];

    public IReadOnlyList<ContactPhone> Phones { get; init; } = [];

    public required DateTimeOffset UpdatedAt { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("_etag")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ETag { get; init; }

    /// <summary>The emails and phones together; computed, so not stored a second time.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ContactData Data => new(Emails, Phones);
}

public sealed class GlobalResultRepository(CosmosStore store, TimeProvider timeProvider)
{
    private const int MaxAttempts = 5;

    public async Task<GlobalResultDocument?> FindAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await store.GlobalResults.ReadItemAsync<GlobalResultDocument>(id, new PartitionKey(id), cancellationToken: cancellationToken);
            return response.Resource with { ETag = response.ETag };
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Merges found data into the result, creating it when missing; values are keyed by address or
    /// number. Writing also renews <see cref="GlobalResultDocument.UpdatedAt"/>, so it is skipped
    /// only when another writer already stored every value after this merge began.
    /// </summary>
    /// <param name="lastRead">
    /// The result as the caller read it before the merge, null when it was missing. The first
    /// attempt writes against it instead of reading again. If it changed since, that write fails
    /// on its entity tag (or on the id when it was missing), so the next attempt reads it.
    /// </param>
    public async Task MergeAsync(
        string id, EnrichmentField field, ContactData data, GlobalResultDocument? lastRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        var started = timeProvider.GetUtcNow();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = attempt == 0 ? lastRead : await FindAsync(id, cancellationToken);
            if (current is not null && current.UpdatedAt >= started && Contains(current, data))
            {
                // Concurrent processors of one record or of one person in several organizations
                // merge the same data. Without this check each write would invalidate the others'
                // entity tags until their attempts ran out.
                return;
            }

            var merged = new GlobalResultDocument
            {
                Id = id,
                Field = field,
                Emails = ContactMerge.Emails(current?.Emails, data.Emails),
                Phones = ContactMerge.Phones(current?.Phones, data.Phones),
                UpdatedAt = timeProvider.GetUtcNow(),
            };

            try
            {
                if (current is null)
                {
                    await store.GlobalResults.CreateItemAsync(merged, new PartitionKey(id),
                        new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken);
                }
                else
                {
                    await store.GlobalResults.ReplaceItemAsync(merged, id, new PartitionKey(id),
                        new ItemRequestOptions { IfMatchEtag = current.ETag, EnableContentResponseOnWrite = false }, cancellationToken);
                }

                return;
            }
            catch (CosmosException exception)
                when (exception.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
            {
                // Another processor wrote it in between; merge into its version.
            }
        }

        throw new InvalidOperationException($"Could not merge global result {id} after {MaxAttempts} attempts.");
    }

    private static bool Contains(GlobalResultDocument current, ContactData data) =>
        data.Emails.All(email => current.Emails.Any(stored => string.Equals(stored.Address, email.Address, StringComparison.OrdinalIgnoreCase))) &&
        data.Phones.All(phone => current.Phones.Any(stored => string.Equals(stored.Number, phone.Number, StringComparison.Ordinal)));
}

/// <summary>Merges contact lists: the first value for an address or number wins, keeping its provenance.</summary>
public static class ContactMerge
{
    public static IReadOnlyList<ContactEmail> Emails(IReadOnlyList<ContactEmail>? existing, IReadOnlyList<ContactEmail> found) =>
        (existing ?? []).Concat(found).DistinctBy(email => email.Address, StringComparer.OrdinalIgnoreCase).ToList();

    public static IReadOnlyList<ContactPhone> Phones(IReadOnlyList<ContactPhone>? existing, IReadOnlyList<ContactPhone> found) =>
        (existing ?? []).Concat(found).DistinctBy(phone => phone.Number, StringComparer.Ordinal).ToList();
}
