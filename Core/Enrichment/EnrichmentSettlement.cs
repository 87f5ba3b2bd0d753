using Microsoft.Extensions.Logging;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Telemetry;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>
/// Moves a record to its terminal state and settles its credits. The processor, the poison
/// handler and the sweeps all finish records through here, so each crash point has one recovery:
/// run this again. Order: outcome stored on the record, then credits (charge writes the ledger
/// entry first), then the terminal status; every step is a no-op when repeated.
/// </summary>
public sealed partial class EnrichmentSettlement(
    EnrichmentRepository enrichments,
    CreditService credits,
    TimeProvider timeProvider,
    ILogger<EnrichmentSettlement> logger,
    EnrichmentMetrics? metrics = null)
{
    private const int MaxAttempts = 5;

    public static string TransactionIdOf(string enrichmentId) => $"charge-{enrichmentId}";

    /// <summary>
    /// Stores <paramref name="outcome"/> on a pending record that has none, then settles it.
    /// Returns the record as it ends, or null when it is gone. A record that already has an
    /// outcome or is terminal keeps what it has.
    /// </summary>
    public async Task<EnrichmentDocument?> CompleteAsync(
        EnrichmentDocument record, EnrichmentOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var current = record;
        for (var attempt = 0; attempt < MaxAttempts && current is { Status: EnrichmentStatus.Pending, Outcome: null }; attempt++)
        {
            var stored = await enrichments.TryReplaceAsync(
                current with { Outcome = outcome, UpdatedAt = timeProvider.GetUtcNow() }, cancellationToken);
            current = stored ?? await enrichments.FindAsync(record.OrgId, record.Id, cancellationToken);
        }

        return current is null ? null : await SettleAsync(current, cancellationToken);
    }

    /// <summary>Finishes a pending record whose outcome is stored; returns it unchanged otherwise.</summary>
    public async Task<EnrichmentDocument?> SettleAsync(EnrichmentDocument record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Status != EnrichmentStatus.Pending || record.Outcome is null)
        {
            return record;
        }

        var outcome = record.Outcome;
        var transactionId = outcome.DataFound ? TransactionIdOf(record.Id) : null;
        if (transactionId is not null)
        {
            await credits.ChargeAsync(record.OrgId, record.ReservationId, record.Id, record.Price,
                record.Field.ToWireName(), transactionId, cancellationToken);
        }
        else
        {
            await credits.ReleaseAsync(record.OrgId, record.ReservationId, record.Id, record.Price, cancellationToken);
        }

        var terminal = record with
        {
            Status = outcome.Error is null ? EnrichmentStatus.Finished : EnrichmentStatus.Failed,
            DataFound = outcome.Error is null ? outcome.DataFound : null,
            Error = outcome.Error,
            GlobalEnrichmentId = outcome.GlobalEnrichmentId,
            CreditTransactionId = transactionId,
            UpdatedAt = timeProvider.GetUtcNow(),
        };
        return await WriteTerminalAsync(terminal, cancellationToken);
    }

    /// <summary>
    /// Moves a pending record without an outcome straight to <paramref name="status"/> (cancelled
    /// or timeout) and returns its reservation. Returns null when the record changed in between.
    /// </summary>
    public async Task<EnrichmentDocument?> AbandonAsync(
        EnrichmentDocument record, EnrichmentStatus status, EnrichmentError? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Status != EnrichmentStatus.Pending || record.Outcome is not null)
        {
            return null;
        }

        var terminal = await enrichments.TryReplaceAsync(
            record with { Status = status, Error = error, DataFound = null, UpdatedAt = timeProvider.GetUtcNow() },
            cancellationToken);
        if (terminal is null)
        {
            return null;
        }

        // A crash here leaves the hold entry; the reservation sweep returns it because the record is terminal.
        await credits.ReleaseAsync(record.OrgId, record.ReservationId, record.Id, record.Price, cancellationToken);
        Log.Finished(logger, record.OrgId, record.Id, status.ToWireName());
        metrics?.EnrichmentEnded(record.Field, status, null);
        return terminal;
    }

    private async Task<EnrichmentDocument?> WriteTerminalAsync(EnrichmentDocument terminal, CancellationToken cancellationToken)
    {
        var stored = await enrichments.TryReplaceAsync(terminal, cancellationToken);
        if (stored is not null)
        {
            Log.Finished(logger, terminal.OrgId, terminal.Id, terminal.Status.ToWireName());
            metrics?.EnrichmentEnded(terminal.Field, terminal.Status, terminal.DataFound);
            return stored;
        }

        // Changed in between: only another settlement of the same outcome can have written it.
        return await enrichments.FindAsync(terminal.OrgId, terminal.Id, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "Enrichment {EnrichmentId} of organization {OrgId} is {Status}")]
        public static partial void Finished(ILogger logger, string orgId, string enrichmentId, string status);
    }
}

/// <summary>Error codes stored on failed and timed-out records.</summary>
public static class EnrichmentErrors
{
    public const string TimeoutCode = "TIMEOUT";
    public const string ProcessingFailedCode = "PROCESSING_FAILED";
    public const string PersonNotFoundCode = "PERSON_NOT_FOUND";

    public static EnrichmentError Timeout(TimeSpan maxRunTime) =>
        new(TimeoutCode, $"The enrichment did not finish within the maximum run time of {maxRunTime.TotalSeconds:0} seconds.");

    public static EnrichmentError ProcessingFailed(int attempts) =>
        new(ProcessingFailedCode, $"Processing failed {attempts} times in a row; the message was moved to the poison queue.");

    public static EnrichmentError PersonNotFound() =>
        new(PersonNotFoundCode, "The person was deleted before the enrichment ran.");
}
