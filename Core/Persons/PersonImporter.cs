using System.Collections.Concurrent;
using System.Net;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Organizations;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Persons;

/// <summary>The ids a person import created and updated.</summary>
public sealed record PersonImportResult(int Created, int Updated, IReadOnlyList<string> CreatedIds, IReadOnlyList<string> UpdatedIds);

/// <summary>A person as the API returns it, with the contacts found so far.</summary>
public sealed record PersonView(
    string Id, string? FirstName, string? LastName, string FullName, string? CompanyName, string? CompanyDomain,
    string? LinkedinUrl, string? Title, string? Location, IReadOnlyDictionary<string, string> ExternalIds,
    IReadOnlyList<ContactEmail> Emails, IReadOnlyList<ContactPhone> Phones, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PersonView From(PersonDocument person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new(person.Id, person.FirstName, person.LastName, person.FullName, person.CompanyName, person.CompanyDomain,
            person.LinkedinUrl, person.Title, person.Location, person.ExternalIds, person.Emails, person.Phones,
            person.CreatedAt, person.UpdatedAt);
    }
}

/// <summary>
/// Creates or updates persons by the caller's ids. Sending the same request again changes
/// nothing but <c>updatedAt</c>. Contacts found earlier are kept, also those a concurrent
/// enrichment merges in while the import runs: every write is conditional on the version read.
/// </summary>
public sealed class PersonImporter(
    CosmosStore store, PersonRepository persons, OrganizationRegistry organizations, TransientStorageRetry retry,
    TimeProvider timeProvider)
{
    private const int ReadChunk = 100;
    private const int MaxParallelWrites = 32;
    private const int MaxWriteAttempts = 5;

    public async Task<PersonImportResult> ImportAsync(string orgId, IReadOnlyList<PersonInput> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        await organizations.RegisterAsync(orgId, cancellationToken);
        var existing = await ReadExistingAsync(orgId, inputs.Select(input => input.Id).ToList(), cancellationToken);
        var now = timeProvider.GetUtcNow();
        var createdIds = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        await Parallel.ForEachAsync(inputs,
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelWrites, CancellationToken = cancellationToken },
            async (input, token) =>
            {
                if (await WriteAsync(orgId, input, existing.GetValueOrDefault(input.Id), now, token))
                {
                    createdIds[input.Id] = true;
                }
            });

        var created = inputs.Where(input => createdIds.ContainsKey(input.Id)).Select(input => input.Id).ToList();
        var updated = inputs.Where(input => !createdIds.ContainsKey(input.Id)).Select(input => input.Id).ToList();
        return new PersonImportResult(created.Count, updated.Count, created, updated);
    }

    /// <summary>
    /// Creates the person, or replaces the version that was read while keeping its contacts.
    /// Returns true when it created the person.
    /// </summary>
    private async Task<bool> WriteAsync(
        string orgId, PersonInput input, PersonDocument? current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var document = new PersonDocument
            {
                Id = input.Id,
                OrgId = orgId,
                FirstName = input.FirstName,
                LastName = input.LastName,
                FullName = input.FullName,
                CompanyName = input.CompanyName,
                CompanyDomain = input.CompanyDomain,
                LinkedinUrl = input.LinkedinUrl,
                Title = input.Title,
                Location = input.Location,
                ExternalIds = input.ExternalIds,
                Emails = current?.Emails ?? [],
                Phones = current?.Phones ?? [],
                CreatedAt = current?.CreatedAt ?? now,
                UpdatedAt = now,
            };
            try
            {
                // Both writes are safe to repeat. If the first try was applied but its response was
                // lost, the repeat fails on the id or the entity tag, and the next attempt reads again.
                if (current is null)
                {
                    await retry.ExecuteAsync("create person", token => store.Persons.CreateItemAsync(document, new PartitionKey(orgId),
                        new ItemRequestOptions { EnableContentResponseOnWrite = false }, token), cancellationToken);
                    return true;
                }

                var etag = current.ETag;
                await retry.ExecuteAsync("replace person", token => store.Persons.ReplaceItemAsync(document, input.Id, new PartitionKey(orgId),
                    new ItemRequestOptions { IfMatchEtag = etag, EnableContentResponseOnWrite = false }, token), cancellationToken);
                return false;
            }
            catch (CosmosException exception)
                when (exception.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                // A contact merge, another import or a delete changed the person since it was
                // read, so read it again and write onto that version, which keeps its contacts.
                var created = current is null;
                current = await persons.FindAsync(orgId, input.Id, cancellationToken);
                if (created && current?.CreatedAt == now && current.FullName == input.FullName)
                {
                    // The create was applied, but its response was lost and the retry met the person.
                    return true;
                }
            }
        }

        throw new InvalidOperationException(
            $"Could not write person {input.Id} of organization {orgId} after {MaxWriteAttempts} attempts; it kept changing in between.");
    }

    private async Task<Dictionary<string, PersonDocument>> ReadExistingAsync(
        string orgId, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, PersonDocument>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(ReadChunk))
        {
            var query = new QueryDefinition("SELECT * FROM c WHERE c.orgId = @orgId AND ARRAY_CONTAINS(@ids, c.id)")
                .WithParameter("@orgId", orgId)
                .WithParameter("@ids", chunk);
            var found = await retry.ExecuteAsync(
                "query persons", token => store.Persons.QueryAllAsync<PersonDocument>(query, orgId, token), cancellationToken);
            foreach (var person in found)
            {
                result[person.Id] = person;
            }
        }

        return result;
    }
}
