using System.ComponentModel.DataAnnotations;

namespace ContactEnrichment.Core.Health;

/// <summary>Settings of the health endpoint's dependency checks (settings section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Maximum time one dependency check may take before it counts as failed. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
