using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Organizations;
using ContactEnrichment.Core.Queueing;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>Counts of what one sweep changed.</summary>
public sealed record SweepReport(int Organizations, int Settled, int TimedOut, int Requeued, int ReservationsReturned);

/// <summary>
/// Keeps records and credits from being stranded. For every organization it settles pending
/// records whose outcome is stored, times out those older than the maximum run time, sends the
/// message again for those waiting longer than <see cref="EnrichmentOptions.RequeueAfter"/>, and
/// returns reservation entries older than <see cref="EnrichmentOptions.OrphanReservationTimeout"/>
/// whose record is missing or terminal.
/// </summary>
public sealed partial class EnrichmentSweeper(
    OrganizationRegistry organizations,
    EnrichmentRepository enrichments,
    EnrichmentSettlement settlement,
    CreditService credits,
    EnrichmentMessageSender sender,
    IOptions<EnrichmentOptions> options,
    TimeProvider timeProvider,
    ILogger<EnrichmentSweeper> logger)
{
    public async Task<SweepReport> SweepAsync(CancellationToken cancellationToken)
    {
        var orgIds = await organizations.ListAsync(cancellationToken);
        int settled = 0, timedOut = 0, requeued = 0, returned = 0;
        foreach (var orgId in orgIds)
        {
            var swept = await SweepOrganizationAsync(orgId, cancellationToken);
            settled += swept.Settled;
            timedOut += swept.TimedOut;
            requeued += swept.Requeued;
            returned += swept.ReservationsReturned;
        }

        var report = new SweepReport(orgIds.Count, settled, timedOut, requeued, returned);
        Log.Swept(logger, report.Organizations, settled, timedOut, requeued, returned);
        return report;
    }

    /// <summary>
    /// Sweeps one organization, as <see cref="SweepAsync"/> does for each. Tests call it so that
    /// they do not depend on other tests' data.
    /// </summary>
    public async Task<SweepReport> SweepOrganizationAsync(string orgId, CancellationToken cancellationToken)
    {
        var pending = await SweepPendingAsync(orgId, cancellationToken);
        var returned = await ReturnOrphanedReservationsAsync(orgId, cancellationToken);
        return new SweepReport(1, pending.Settled, pending.TimedOut, pending.Requeued, returned);
    }

    private async Task<(int Settled, int TimedOut, int Requeued)> SweepPendingAsync(string orgId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        int settled = 0, timedOut = 0, requeued = 0;
        foreach (var record in await enrichments.FindPendingAsync(orgId, now - settings.RequeueAfter, cancellationToken))
        {
            if (record.Outcome is not null)
            {
                await settlement.SettleAsync(record, cancellationToken);
                settled++;
            }
            else if (now - record.CreatedAt >= settings.MaxRunTime)
            {
                var abandoned = await settlement.AbandonAsync(
                    record, EnrichmentStatus.Timeout, EnrichmentErrors.Timeout(settings.MaxRunTime), cancellationToken);
                timedOut += abandoned is null ? 0 : 1;
            }
            else if (record.RequeuedAt is null || now - record.RequeuedAt.Value >= settings.RequeueAfter)
            {
                requeued += await RequeueAsync(record, now, cancellationToken) ? 1 : 0;
            }
        }

        return (settled, timedOut, requeued);
    }

    private async Task<bool> RequeueAsync(EnrichmentDocument record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Marking first means a concurrent sweep does not send too; a duplicate message is harmless anyway.
        if (await enrichments.TryReplaceAsync(record with { RequeuedAt = now }, cancellationToken) is null)
        {
            return false;
        }

        try
        {
            await sender.SendAsync(new EnrichmentMessage(record.Id, record.OrgId), cancellationToken);
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or HttpRequestException or AggregateException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // One unreachable queue must not stop the sweep of the other records and organizations;
            // the next sweep after RequeueAfter tries again, and MaxRunTime bounds the wait.
            Log.RequeueFailed(logger, exception, record.OrgId, record.Id);
            return false;
        }

        Log.Requeued(logger, record.OrgId, record.Id);
        return true;
    }

    private async Task<int> ReturnOrphanedReservationsAsync(string orgId, CancellationToken cancellationToken)
    {
        var account = await credits.TryReadAccountAsync(orgId, cancellationToken);
        if (account is null)
        {
            return 0;
        }

        var cutoff = timeProvider.GetUtcNow() - options.Value.OrphanReservationTimeout;
        var returned = 0;
        foreach (var (reservationId, hold) in account.Holds.Where(entry => entry.Value.CreatedAt < cutoff))
        {
            if (hold.Items.Count == 0)
            {
                await credits.RemoveEmptyHoldAsync(orgId, reservationId, account.ETag!, cancellationToken);
                continue;
            }

            foreach (var (enrichmentId, price) in hold.Items)
            {
                returned += await SettleOrphanAsync(orgId, reservationId, enrichmentId, price, cancellationToken) ? 1 : 0;
            }
        }

        return returned;
    }

    private async Task<bool> SettleOrphanAsync(
        string orgId, string reservationId, string enrichmentId, int price, CancellationToken cancellationToken)
    {
        var record = await enrichments.FindAsync(orgId, enrichmentId, cancellationToken);
        if (record is null || (record.Status.IsTerminal() && record.CreditTransactionId is null))
        {
            return await credits.ReleaseAsync(orgId, reservationId, enrichmentId, price, cancellationToken);
        }

        if (record.Status.IsTerminal())
        {
            // Finished with data but the charge did not complete before a crash.
            return await credits.ChargeAsync(orgId, reservationId, enrichmentId, price, record.Field.ToWireName(),
                record.CreditTransactionId!, cancellationToken);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(6201, LogLevel.Information, "Swept {Organizations} organizations: {Settled} settled, {TimedOut} timed out, {Requeued} requeued, {Returned} reservation entries returned")]
        public static partial void Swept(ILogger logger, int organizations, int settled, int timedOut, int requeued, int returned);

        [LoggerMessage(6202, LogLevel.Information, "Sent the message of enrichment {EnrichmentId} of organization {OrgId} again")]
        public static partial void Requeued(ILogger logger, string orgId, string enrichmentId);

        [LoggerMessage(6203, LogLevel.Warning, "Could not send the message of enrichment {EnrichmentId} of organization {OrgId} again; the next sweep retries")]
        public static partial void RequeueFailed(ILogger logger, Exception exception, string orgId, string enrichmentId);
    }
}
