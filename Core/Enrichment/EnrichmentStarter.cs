using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Telemetry;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>What a dry run found: the records that would be reused and the persons that would get new ones.</summary>
public sealed record EnrichmentPlanSummary(
    EnrichmentField Field,
    IReadOnlyList<EnrichmentRecord> Reused,
    IReadOnlyList<string> PersonIdsToEnrich,
    long Price,
    long Available,
    bool Sufficient);

/// <summary>
/// Starts enrichments for persons of the caller's organization: reuses pending and fresh
/// records, reserves the price of the rest in one atomic step, writes their pending records and
/// only then sends their queue messages.
/// </summary>
public sealed partial class EnrichmentStarter(
    PersonRepository persons,
    EnrichmentRepository enrichments,
    CreditService credits,
    EnrichmentMessageSender queue,
    IOptions<EnrichmentOptions> options,
    TimeProvider timeProvider,
    ILogger<EnrichmentStarter> logger,
    EnrichmentMetrics? metrics = null)
{
    private const int MaxWriteAttempts = 5;

    private sealed record Plan(int Index, string PersonId, string NewId, EnrichmentDocument? Previous);

    /// <summary>Returns one record per person id, in the order given.</summary>
    /// <exception cref="ApiProblemException">400 for unknown persons.</exception>
    /// <exception cref="InsufficientCreditsException">Nothing was written or reserved.</exception>
    public async Task<IReadOnlyList<EnrichmentRecord>> StartAsync(
        CallerIdentity caller, IReadOnlyList<string> personIds, EnrichmentField field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(personIds);
        var started = timeProvider.GetTimestamp();
        var (results, plans) = await PlanAsync(caller.OrgId, personIds, field, cancellationToken);
        if (plans.Count == 0)
        {
            Log.Started(logger, caller.OrgId, field.ToWireName(), personIds.Count, 0);
            metrics?.EnrichmentsStarted(field, 0, personIds.Count);
            return results.Select(document => document!.ToRecord()).ToList();
        }

        var price = options.Value.PriceOf(field);
        var reservationId = Guid.NewGuid().ToString();
        await credits.ReserveAsync(caller.OrgId, reservationId, plans.ToDictionary(plan => plan.NewId, _ => price), cancellationToken);

        // From here on the work completes even if the caller goes away: stopping halfway would
        // leave reserved credits for the sweep to return.
        var lost = new ConcurrentBag<(string EnrichmentId, int Price)>();
        await Parallel.ForEachAsync(
            plans,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelWrites },
            async (plan, token) =>
            {
                var document = await WriteRecordAsync(caller, field, plan, reservationId, price, started, token);
                results[plan.Index] = document;
                if (document.Id != plan.NewId)
                {
                    lost.Add((plan.NewId, price));
                    return;
                }

                await SendMessageAsync(document, token);
            });

        if (!lost.IsEmpty)
        {
            await credits.ReleaseManyAsync(caller.OrgId, reservationId, lost.ToList(), CancellationToken.None);
        }

        Log.Started(logger, caller.OrgId, field.ToWireName(), personIds.Count, plans.Count - lost.Count);
        metrics?.EnrichmentsStarted(field, plans.Count - lost.Count, personIds.Count - (plans.Count - lost.Count));
        return results.Select(document => document!.ToRecord()).ToList();
    }

    /// <summary>Works out what <see cref="StartAsync"/> would do, and writes nothing.</summary>
    public async Task<EnrichmentPlanSummary> DryRunAsync(
        CallerIdentity caller, IReadOnlyList<string> personIds, EnrichmentField field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (results, plans) = await PlanAsync(caller.OrgId, personIds, field, cancellationToken);
        var balance = await credits.GetBalanceAsync(caller.OrgId, cancellationToken);
        var price = (long)options.Value.PriceOf(field) * plans.Count;
        var reused = results.Where(document => document is not null).Select(document => document!.ToRecord()).ToList();
        return new EnrichmentPlanSummary(
            field, reused, plans.Select(plan => plan.PersonId).ToList(), price, balance.Available, balance.Available >= price);
    }

    /// <summary>Returns whether a record is reused instead of starting a new one.</summary>
    public bool IsReusable(EnrichmentDocument document, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Status == EnrichmentStatus.Pending ||
            (document.Status == EnrichmentStatus.Finished && now - document.UpdatedAt < options.Value.FreshnessWindow);
    }

    private async Task<(EnrichmentDocument?[] Results, List<Plan> Plans)> PlanAsync(
        string orgId, IReadOnlyList<string> personIds, EnrichmentField field, CancellationToken cancellationToken)
    {
        var existing = await persons.FindExistingIdsAsync(orgId, personIds, cancellationToken);
        var unknown = personIds.Where(id => !existing.Contains(id)).ToList();
        if (unknown.Count > 0)
        {
            throw ApiProblemException.Validation("personIds",
                $"These ids name no person of your organization: {string.Join(", ", unknown)}. Create the persons first.");
        }

        var latest = await enrichments.FindLatestAsync(orgId, field, personIds, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var results = new EnrichmentDocument?[personIds.Count];
        var plans = new List<Plan>();
        for (var index = 0; index < personIds.Count; index++)
        {
            var previous = latest.GetValueOrDefault(personIds[index]);
            if (previous is not null && IsReusable(previous, now))
            {
                results[index] = previous;
            }
            else
            {
                plans.Add(new Plan(index, personIds[index], Guid.NewGuid().ToString(), previous));
            }
        }

        return (results, plans);
    }

    /// <summary>
    /// Writes the person's new latest record, or returns the one a concurrent request wrote first.
    /// </summary>
    private async Task<EnrichmentDocument> WriteRecordAsync(
        CallerIdentity caller, EnrichmentField field, Plan plan, string reservationId, int price, long started,
        CancellationToken cancellationToken)
    {
        var previous = plan.Previous;
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            EnsureWithinWriteDeadline(started);
            if (previous is not null && !await enrichments.TryRetireAsync(previous, cancellationToken))
            {
                previous = await enrichments.FindLatestAsync(caller.OrgId, field, plan.PersonId, cancellationToken);
                if (previous is not null && IsReusable(previous, timeProvider.GetUtcNow()))
                {
                    return previous;
                }

                continue;
            }

            var now = timeProvider.GetUtcNow();
            var document = new EnrichmentDocument
            {
                Id = plan.NewId,
                OrgId = caller.OrgId,
                CreatedAt = now,
                UpdatedAt = now,
                EntityId = plan.PersonId,
                Field = field,
                Status = EnrichmentStatus.Pending,
                CreatedBy = caller.UserId,
                ActiveKey = EnrichmentDocument.LatestKey(field, plan.PersonId),
                ReservationId = reservationId,
                Price = price,
            };
            var created = await enrichments.TryCreateAsync(document, cancellationToken);
            if (created is not null)
            {
                return created;
            }

            previous = await enrichments.FindLatestAsync(caller.OrgId, field, plan.PersonId, cancellationToken);
            if (previous is not null && IsReusable(previous, timeProvider.GetUtcNow()))
            {
                return previous;
            }
        }

        throw new InvalidOperationException(
            $"Could not write an enrichment record for person {plan.PersonId} after {MaxWriteAttempts} attempts.");
    }

    private void EnsureWithinWriteDeadline(long started)
    {
        // A sweep returns a reservation entry whose record is missing after OrphanReservationTimeout.
        // Writing a record after half of that time could race the sweep, so the request gives up.
        if (timeProvider.GetElapsedTime(started) > options.Value.OrphanReservationTimeout / 2)
        {
            throw new TimeoutException("The request ran out of time while writing its enrichment records.");
        }
    }

    private async Task SendMessageAsync(EnrichmentDocument document, CancellationToken cancellationToken)
    {
        try
        {
            await queue.SendAsync(new EnrichmentMessage(document.Id, document.OrgId), cancellationToken);
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or HttpRequestException or TaskCanceledException)
        {
            // The record is durably pending; the sweep sends its message again after RequeueAfter.
            Log.SendFailed(logger, exception, document.OrgId, document.Id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3001, LogLevel.Information, "Started {Field} enrichment of {Count} persons for organization {OrgId}; {Created} new records")]
        public static partial void Started(ILogger logger, string orgId, string field, int count, int created);

        [LoggerMessage(3002, LogLevel.Warning, "Could not send the queue message of enrichment {EnrichmentId} of organization {OrgId}; a sweep will send it again")]
        public static partial void SendFailed(ILogger logger, Exception exception, string orgId, string enrichmentId);
    }
}
