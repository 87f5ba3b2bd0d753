using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Core.Queueing;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>
/// Turns one pending enrichment into a terminal one. Delivery is at least once: a message for a
/// record that is not pending changes nothing, and a repeat after a crash settles the outcome
/// stored the first time instead of asking the providers again.
/// </summary>
public sealed partial class EnrichmentProcessor(
    EnrichmentRepository enrichments,
    PersonRepository persons,
    GlobalResultRepository globalResults,
    ProviderWaterfall waterfall,
    EnrichmentSettlement settlement,
    IOptions<EnrichmentOptions> options,
    TimeProvider timeProvider,
    ILogger<EnrichmentProcessor> logger)
{
    public async Task ProcessAsync(EnrichmentMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var record = await enrichments.FindAsync(message.OrgId, message.EnrichmentId, cancellationToken);
        if (record is null || record.Status != EnrichmentStatus.Pending)
        {
            Log.Skipped(logger, message.OrgId, message.EnrichmentId, record?.Status.ToWireName() ?? "missing");
            return;
        }

        if (record.Outcome is not null)
        {
            await settlement.SettleAsync(record, cancellationToken);
            return;
        }

        var outcome = await LookUpAsync(record, cancellationToken);
        await settlement.CompleteAsync(record, outcome, cancellationToken);
    }

    /// <summary>
    /// Marks the record that a poisoned message names as failed and returns its reservation. A
    /// record whose outcome was already stored is settled with that outcome instead.
    /// </summary>
    public async Task FailPoisonedAsync(EnrichmentMessage message, int attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var record = await enrichments.FindAsync(message.OrgId, message.EnrichmentId, cancellationToken);
        if (record is null || record.Status != EnrichmentStatus.Pending)
        {
            return;
        }

        Log.Poisoned(logger, message.OrgId, message.EnrichmentId);
        await settlement.CompleteAsync(record, new EnrichmentOutcome(false, null, EnrichmentErrors.ProcessingFailed(attempts)),
            cancellationToken);
    }

    private async Task<EnrichmentOutcome> LookUpAsync(EnrichmentDocument record, CancellationToken cancellationToken)
    {
        var person = await persons.FindAsync(record.OrgId, record.EntityId, cancellationToken);
        if (person is null)
        {
            return new EnrichmentOutcome(false, null, EnrichmentErrors.PersonNotFound());
        }

        var globalId = IdentityKey.From(person)?.GlobalResultId(record.Field);
        var global = globalId is null ? null : await globalResults.FindAsync(globalId, cancellationToken);
        var data = FreshData(global, record.Field);
        if (data is null)
        {
            var result = await waterfall.FindAsync(ToQuery(person, record.Field), cancellationToken);
            if (result.Outcome == ProviderOutcome.Failed)
            {
                return new EnrichmentOutcome(false, null,
                    new EnrichmentError(result.ErrorCode ?? "PROVIDER_FAILED", result.ErrorMessage ?? "Every provider failed."));
            }

            data = result.Outcome == ProviderOutcome.Found ? result.Data.For(record.Field) : ContactData.Empty;
            if (!data.IsEmpty && globalId is not null)
            {
                await globalResults.MergeAsync(globalId, record.Field, data, global, cancellationToken);
            }
        }
        else
        {
            Log.GlobalResultReused(logger, record.OrgId, record.Id, globalId!);
        }

        if (data.IsEmpty)
        {
            return new EnrichmentOutcome(false, null, null);
        }

        await persons.MergeContactsAsync(record.OrgId, record.EntityId, data, person, cancellationToken);
        return new EnrichmentOutcome(true, globalId, null);
    }

    /// <summary>Returns the result's data for the field while it is fresh and not empty, else null.</summary>
    private ContactData? FreshData(GlobalResultDocument? global, EnrichmentField field)
    {
        if (global is null || timeProvider.GetUtcNow() - global.UpdatedAt >= options.Value.FreshnessWindow)
        {
            return null;
        }

        var data = global.Data.For(field);
        return data.IsEmpty ? null : data;
    }

    private static ProviderQuery ToQuery(PersonDocument person, EnrichmentField field) =>
        new(person.FullName, person.FirstName, person.LastName, person.CompanyName, person.CompanyDomain, person.LinkedinUrl, field);

    private static partial class Log
    {
        [LoggerMessage(6101, LogLevel.Information, "Skipped message for enrichment {EnrichmentId} of organization {OrgId}: the record is {State}")]
        public static partial void Skipped(ILogger logger, string orgId, string enrichmentId, string state);

        [LoggerMessage(6102, LogLevel.Information, "Enrichment {EnrichmentId} of organization {OrgId} reused global result {GlobalEnrichmentId}")]
        public static partial void GlobalResultReused(ILogger logger, string orgId, string enrichmentId, string globalEnrichmentId);

        [LoggerMessage(6103, LogLevel.Warning, "Message for enrichment {EnrichmentId} of organization {OrgId} reached the poison queue; the record fails")]
        public static partial void Poisoned(ILogger logger, string orgId, string enrichmentId);
    }
}
