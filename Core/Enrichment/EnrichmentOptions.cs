using System.ComponentModel.DataAnnotations;
using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>Prices, freshness and recovery bounds (settings section <c>Enrichment</c>).</summary>
public sealed class EnrichmentOptions
{
    public const string SectionName = "Enrichment";

    /// <summary>Credits charged for an <c>emails</c> enrichment that finds data. Default 1.</summary>
    [Range(0, 1_000_000)]
    public int EmailsPrice { get; set; } = 1;

    /// <summary>Credits charged for a <c>phones</c> enrichment that finds data. Default 10.</summary>
    [Range(0, 1_000_000)]
    public int PhonesPrice { get; set; } = 10;

    /// <summary>How long a finished record is reused instead of enriching again. Default 90 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan FreshnessWindow { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a record may stay pending before a sweep times it out. Default 800 s.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan MaxRunTime { get; set; } = TimeSpan.FromSeconds(800);

    /// <summary>
    /// How long a pending record may wait before a sweep sends its queue message again, in case
    /// the first was lost. Default 3 minutes; must be shorter than <see cref="MaxRunTime"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// After this time a reservation entry whose record was never written is returned by a sweep.
    /// A request stops writing records at half of it, so it never writes after the sweep released.
    /// Default 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan OrphanReservationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Maximum concurrent record writes and queue sends of one batch request. Default 32.</summary>
    [Range(1, 100)]
    public int MaxParallelWrites { get; set; } = 32;

    public int PriceOf(EnrichmentField field) => field == EnrichmentField.Emails ? EmailsPrice : PhonesPrice;
}
