using System.ComponentModel.DataAnnotations;

namespace ContactEnrichment.Functions.Telemetry;

/// <summary>Sampling of the telemetry that the worker exports to Application Insights (settings section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Fraction of traces (requests, dependencies and their logs) that are kept, from 0 to 1. Default 1, which keeps all.</summary>
    [Range(0.0, 1.0)]
    public float SamplingRatio { get; set; } = 1.0F;

    /// <summary>
    /// Maximum traces per second. When set it replaces <see cref="SamplingRatio"/> with
    /// rate-limited sampling. Empty by default.
    /// </summary>
    [Range(0.0, 10_000.0)]
    public double? TracesPerSecond { get; set; }
}
