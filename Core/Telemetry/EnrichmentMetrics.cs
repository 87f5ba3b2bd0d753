using System.Diagnostics.Metrics;
using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Core.Telemetry;

/// <summary>
/// The app's custom metrics: counters of enrichments by how they start and end, and of credits
/// by what happens to them. Each counter is incremented in exactly one class (the starter, the
/// settlement or the credit service), right where that class logs the same event. Enrichment
/// counters carry the tag <c>field</c> (<c>emails</c> or <c>phones</c>).
/// </summary>
public sealed class EnrichmentMetrics
{
    /// <summary>Name of the <see cref="Meter"/>, which telemetry exporters subscribe to.</summary>
    public const string MeterName = "ContactEnrichment";

    public const string FieldTag = "field";

    private readonly Counter<long> created;
    private readonly Counter<long> reused;
    private readonly Counter<long> finishedWithData;
    private readonly Counter<long> finishedWithoutData;
    private readonly Counter<long> failed;
    private readonly Counter<long> timedOut;
    private readonly Counter<long> cancelled;
    private readonly Counter<long> creditsReserved;
    private readonly Counter<long> creditsCharged;
    private readonly Counter<long> creditsReleased;

    public EnrichmentMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        created = meter.CreateCounter<long>(Instruments.Created, "{enrichment}", "New enrichment records written by batch and single requests.");
        reused = meter.CreateCounter<long>(Instruments.Reused, "{enrichment}", "Requested enrichments for which an existing pending or fresh record was returned.");
        finishedWithData = meter.CreateCounter<long>(Instruments.FinishedWithData, "{enrichment}", "Enrichments finished with contact data (charged).");
        finishedWithoutData = meter.CreateCounter<long>(Instruments.FinishedWithoutData, "{enrichment}", "Enrichments finished without contact data (released).");
        failed = meter.CreateCounter<long>(Instruments.Failed, "{enrichment}", "Enrichments that ended in status failed.");
        timedOut = meter.CreateCounter<long>(Instruments.TimedOut, "{enrichment}", "Enrichments that ended in status timeout.");
        cancelled = meter.CreateCounter<long>(Instruments.Cancelled, "{enrichment}", "Enrichments that ended in status cancelled.");
        creditsReserved = meter.CreateCounter<long>(Instruments.CreditsReserved, "{credit}", "Credits reserved for new enrichments.");
        creditsCharged = meter.CreateCounter<long>(Instruments.CreditsCharged, "{credit}", "Reserved credits charged for enrichments that found data.");
        creditsReleased = meter.CreateCounter<long>(Instruments.CreditsReleased, "{credit}", "Reserved credits returned to the available balance.");
    }

    /// <summary>Counts the new and reused records of one start request.</summary>
    public void EnrichmentsStarted(EnrichmentField field, int createdCount, int reusedCount)
    {
        var tag = FieldTagOf(field);
        if (createdCount > 0)
        {
            created.Add(createdCount, tag);
        }

        if (reusedCount > 0)
        {
            reused.Add(reusedCount, tag);
        }
    }

    /// <summary>Counts a record written in a terminal status. <paramref name="dataFound"/> matters only for finished records.</summary>
    public void EnrichmentEnded(EnrichmentField field, EnrichmentStatus status, bool? dataFound)
    {
        var counter = status switch
        {
            EnrichmentStatus.Finished => dataFound == true ? finishedWithData : finishedWithoutData,
            EnrichmentStatus.Failed => failed,
            EnrichmentStatus.Timeout => timedOut,
            EnrichmentStatus.Cancelled => cancelled,
            _ => null,
        };
        counter?.Add(1, FieldTagOf(field));
    }

    public void CreditsReserved(long amount) => creditsReserved.Add(amount);

    public void CreditsCharged(long amount) => creditsCharged.Add(amount);

    public void CreditsReleased(long amount) => creditsReleased.Add(amount);

    private static KeyValuePair<string, object?> FieldTagOf(EnrichmentField field) => new(FieldTag, field.ToWireName());

    /// <summary>Instrument names, as they appear in Application Insights' customMetrics.</summary>
    public static class Instruments
    {
        public const string Created = "enrichments.created";
        public const string Reused = "enrichments.reused";
        public const string FinishedWithData = "enrichments.finished_with_data";
        public const string FinishedWithoutData = "enrichments.finished_without_data";
        public const string Failed = "enrichments.failed";
        public const string TimedOut = "enrichments.timed_out";
        public const string Cancelled = "enrichments.cancelled";
        public const string CreditsReserved = "credits.reserved";
        public const string CreditsCharged = "credits.charged";
        public const string CreditsReleased = "credits.released";
    }
}
