using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using ContactEnrichment.Core.Serialization;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Core.Telemetry;

namespace ContactEnrichment.Core.Credits;

/// <summary>
/// Reserves, charges and releases credits with conditional patches on the organization's account
/// document. The local Cosmos stand-in has no transactional batch, so each step is one atomic
/// patch whose filter makes a repeat a no-op. A hold entry is removed exactly once, by either the
/// charge or the release. Whichever comes second finds it gone and changes nothing. That also
/// makes each step safe to repeat after a transient failure, so every one of them goes through
/// <see cref="TransientStorageRetry"/>.
/// </summary>
public sealed partial class CreditService(
    CosmosStore store, TransientStorageRetry retry, TimeProvider timeProvider, ILogger<CreditService> logger, EnrichmentMetrics? metrics = null)
{
    // Cosmos DB accepts at most 10 operations per patch; two of them adjust the counters.
    private const int MaxItemsPerRelease = 8;

    public async Task<CreditBalance> GetBalanceAsync(string orgId, CancellationToken cancellationToken)
    {
        var account = await TryReadAccountAsync(orgId, cancellationToken);
        return account is null
            ? new CreditBalance(orgId, 0, 0, 0)
            : new CreditBalance(orgId, account.Balance, account.Reserved, account.Available);
    }

    public async Task<CreditAccountDocument?> TryReadAccountAsync(string orgId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await retry.ExecuteAsync("read credit account", token => store.Credits.ReadItemAsync<CreditAccountDocument>(
                CreditAccountDocument.IdFor(orgId), new PartitionKey(orgId), cancellationToken: token), cancellationToken);
            return response.Resource;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Reserves the sum of <paramref name="items"/> (enrichment id to price) under
    /// <paramref name="reservationId"/> in one conditional patch. Calling it again with the same
    /// reservation id reserves nothing more and succeeds if the first call's patch was applied.
    /// </summary>
    /// <param name="reservationId">A new id per reservation, lower case (such as a <see cref="Guid"/> in its default format).</param>
    /// <exception cref="InsufficientCreditsException">The available credits are lower than the sum.</exception>
    public async Task ReserveAsync(
        string orgId, string reservationId, IReadOnlyDictionary<string, int> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservationId);
        ArgumentNullException.ThrowIfNull(items);

        // The local stand-in lower-cases a patch's whole filter before it runs it, so the
        // holds["id"] paths below only match lower-case ids.
        if (reservationId.Any(char.IsUpper))
        {
            throw new ArgumentException($"The reservation id {reservationId} must be lower case.", nameof(reservationId));
        }

        long total = items.Values.Sum();
        var hold = new Dictionary<string, object>
        {
            ["createdAt"] = UtcTimestampConverter.ToText(timeProvider.GetUtcNow()),
            ["items"] = items,
        };
        PatchOperation[] operations =
        [
            PatchOperation.Set($"/holds/{reservationId}", hold),
            PatchOperation.Increment("/reserved", total),
            PatchOperation.Increment("/available", -total),
        ];

        // The hold condition makes a repeat of an applied patch fail instead of reserving twice.
        var filter = $"FROM c WHERE c.available >= {total} AND NOT IS_DEFINED(c.holds[\"{reservationId}\"])";
        try
        {
            await retry.ExecuteAsync("reserve credits", token => store.Credits.PatchItemAsync<CreditAccountDocument>(
                CreditAccountDocument.IdFor(orgId), new PartitionKey(orgId), operations,
                new PatchItemRequestOptions { FilterPredicate = filter, EnableContentResponseOnWrite = false },
                token), cancellationToken);
        }
        catch (CosmosException exception)
            when (exception.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            var account = await TryReadAccountAsync(orgId, cancellationToken);
            if (account is null || !account.Holds.ContainsKey(reservationId))
            {
                throw new InsufficientCreditsException(account?.Available ?? 0, total);
            }

            // An earlier attempt was applied but its response was lost, so the reservation is in place.
            Log.ReserveRepeated(logger, orgId, reservationId);
        }

        Log.Reserved(logger, orgId, reservationId, items.Count, total);
        metrics?.CreditsReserved(total);
    }

    /// <summary>
    /// Returns one enrichment's reserved credits. Returns false when its hold entry is already
    /// gone, because it was charged or released before.
    /// </summary>
    public async Task<bool> ReleaseAsync(
        string orgId, string reservationId, string enrichmentId, int price, CancellationToken cancellationToken)
    {
        var released = await TryPatchHoldAsync(orgId, reservationId, [enrichmentId], price, charge: false, cancellationToken);
        if (released)
        {
            Log.Released(logger, orgId, reservationId, 1, price);
            metrics?.CreditsReleased(price);
        }

        return released;
    }

    /// <summary>
    /// Returns the reserved credits of several enrichments of one reservation, a few per patch.
    /// Entries already gone are skipped.
    /// </summary>
    public async Task ReleaseManyAsync(
        string orgId, string reservationId, IReadOnlyList<(string EnrichmentId, int Price)> items,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var chunk in items.Chunk(MaxItemsPerRelease))
        {
            var ids = chunk.Select(item => item.EnrichmentId).ToList();
            if (await TryPatchHoldAsync(orgId, reservationId, ids, chunk.Sum(item => item.Price), charge: false, cancellationToken))
            {
                Log.Released(logger, orgId, reservationId, ids.Count, chunk.Sum(item => item.Price));
                metrics?.CreditsReleased(chunk.Sum(item => item.Price));
                continue;
            }

            foreach (var (enrichmentId, price) in chunk)
            {
                await ReleaseAsync(orgId, reservationId, enrichmentId, price, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Charges one enrichment's price: writes the ledger entry <paramref name="transactionId"/>,
    /// then turns the hold entry into a charge. Both steps tolerate being repeated, so a retry
    /// after a crash between them charges once. Returns false when the hold entry was already gone.
    /// </summary>
    public async Task<bool> ChargeAsync(
        string orgId, string reservationId, string enrichmentId, int price, string field, string transactionId,
        CancellationToken cancellationToken)
    {
        var entry = new LedgerEntryDocument
        {
            Id = transactionId,
            OrgId = orgId,
            Kind = LedgerKinds.Charge,
            Amount = -price,
            EnrichmentId = enrichmentId,
            Field = field,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        await CreateIfAbsentAsync(entry, cancellationToken);

        var charged = await TryPatchHoldAsync(orgId, reservationId, [enrichmentId], price, charge: true, cancellationToken);
        if (charged)
        {
            Log.Charged(logger, orgId, enrichmentId, transactionId, price);
            metrics?.CreditsCharged(price);
        }

        return charged;
    }

    /// <summary>
    /// Adds <paramref name="amount"/> credits once per <paramref name="grantId"/>, creating the
    /// account if needed, and records the grant in the ledger.
    /// </summary>
    public async Task GrantAsync(string orgId, string grantId, long amount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        await EnsureAccountAsync(orgId, cancellationToken);

        var entry = new LedgerEntryDocument
        {
            Id = $"grant-{grantId}",
            OrgId = orgId,
            Kind = LedgerKinds.Grant,
            Amount = amount,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        await CreateIfAbsentAsync(entry, cancellationToken);

        PatchOperation[] operations =
        [
            PatchOperation.Set($"/grants/{grantId}", amount),
            PatchOperation.Increment("/balance", amount),
            PatchOperation.Increment("/available", amount),
        ];
        try
        {
            await retry.ExecuteAsync("grant credits", token => store.Credits.PatchItemAsync<CreditAccountDocument>(
                CreditAccountDocument.IdFor(orgId), new PartitionKey(orgId), operations,
                new PatchItemRequestOptions { FilterPredicate = $"FROM c WHERE NOT IS_DEFINED(c.grants[\"{grantId}\"])" },
                token), cancellationToken);
            Log.Granted(logger, orgId, grantId, amount);
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // Applied by an earlier attempt.
        }
    }

    /// <summary>Reads every ledger entry of an organization (single-partition query).</summary>
    public async Task<IReadOnlyList<LedgerEntryDocument>> ReadLedgerAsync(string orgId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.orgId = @orgId AND c.type = 'ledger'")
            .WithParameter("@orgId", orgId);
        return await retry.ExecuteAsync(
            "query ledger", token => store.Credits.QueryAllAsync<LedgerEntryDocument>(query, orgId, token), cancellationToken);
    }

    /// <summary>Removes a reservation whose every entry has been charged or released.</summary>
    public async Task RemoveEmptyHoldAsync(string orgId, string reservationId, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await store.Credits.PatchItemAsync<CreditAccountDocument>(
                CreditAccountDocument.IdFor(orgId), new PartitionKey(orgId), [PatchOperation.Remove($"/holds/{reservationId}")],
                new PatchItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // The account changed since it was read; the next sweep looks again.
        }
    }

    private async Task EnsureAccountAsync(string orgId, CancellationToken cancellationToken)
    {
        try
        {
            await retry.ExecuteAsync("create credit account", token => store.Credits.CreateItemAsync(
                new CreditAccountDocument { Id = CreditAccountDocument.IdFor(orgId), OrgId = orgId }, new PartitionKey(orgId),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, token), cancellationToken);
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            // The account exists already.
        }
    }

    private async Task CreateIfAbsentAsync(LedgerEntryDocument entry, CancellationToken cancellationToken)
    {
        try
        {
            await retry.ExecuteAsync("create ledger entry", token => store.Credits.CreateItemAsync(entry, new PartitionKey(entry.OrgId),
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, token), cancellationToken);
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            // Written by an earlier attempt: ledger ids are deterministic.
        }
    }

    private async Task<bool> TryPatchHoldAsync(
        string orgId, string reservationId, IReadOnlyList<string> enrichmentIds, long amount, bool charge,
        CancellationToken cancellationToken)
    {
        var operations = enrichmentIds
            .Select(id => PatchOperation.Remove($"/holds/{reservationId}/items/{id}"))
            .Append(PatchOperation.Increment("/reserved", -amount))
            .Append(charge ? PatchOperation.Increment("/balance", -amount) : PatchOperation.Increment("/available", amount))
            .ToList();
        var conditions = string.Join(" AND ", enrichmentIds.Select(id => $"IS_DEFINED(c.holds[\"{reservationId}\"].items[\"{id}\"])"));

        try
        {
            // A repeat of an applied patch finds the entries gone and returns false, as for an
            // entry that another charge or release removed first.
            await retry.ExecuteAsync(charge ? "charge credits" : "release credits", token => store.Credits.PatchItemAsync<CreditAccountDocument>(
                CreditAccountDocument.IdFor(orgId), new PartitionKey(orgId), operations,
                new PatchItemRequestOptions { FilterPredicate = $"FROM c WHERE {conditions}", EnableContentResponseOnWrite = false },
                token), cancellationToken);
            return true;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Reserved {Amount} credits for {Count} enrichments of organization {OrgId} under reservation {ReservationId}")]
        public static partial void Reserved(ILogger logger, string orgId, string reservationId, int count, long amount);

        [LoggerMessage(1002, LogLevel.Information, "Released {Amount} credits of {Count} enrichments of organization {OrgId} under reservation {ReservationId}")]
        public static partial void Released(ILogger logger, string orgId, string reservationId, int count, long amount);

        [LoggerMessage(1003, LogLevel.Information, "Charged {Amount} credits to organization {OrgId} for enrichment {EnrichmentId} in transaction {TransactionId}")]
        public static partial void Charged(ILogger logger, string orgId, string enrichmentId, string transactionId, long amount);

        [LoggerMessage(1004, LogLevel.Information, "Granted {Amount} credits to organization {OrgId} under grant {GrantId}")]
        public static partial void Granted(ILogger logger, string orgId, string grantId, long amount);

        [LoggerMessage(1005, LogLevel.Information, "Reservation {ReservationId} of organization {OrgId} was already applied by an earlier attempt whose response was lost")]
        public static partial void ReserveRepeated(ILogger logger, string orgId, string reservationId);
    }
}
