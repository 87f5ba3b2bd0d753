using System.ComponentModel.DataAnnotations;
using ContactEnrichment.Core.Providers.Http;

namespace ContactEnrichment.Core.Providers.Hunter;

/// <summary>Settings of the Hunter adapter, bound from <c>Providers:Hunter</c>.</summary>
public sealed class HunterOptions : HttpProviderOptions
{
    public const string SectionName = "Providers:Hunter";

    private static readonly TimeSpan AttemptTimeoutMargin = TimeSpan.FromSeconds(2);

    public HunterOptions()
    {
        // Hunter's Email Finder may verify the address for up to max_duration seconds
        // (10 s by default), so one attempt needs longer than the shared 10 s default.
        Resilience.AttemptTimeout = TimeSpan.FromSeconds(15);
        Resilience.TotalTimeout = TimeSpan.FromSeconds(45);
    }

    /// <summary>Default <c>https://api.hunter.io/</c>.</summary>
    public override Uri BaseAddress { get; set; } = new("https://api.hunter.io/");

    /// <summary>
    /// Lowest Email Finder confidence score (0 to 100) accepted; lower scores count as not
    /// found. Default 50.
    /// </summary>
    [Range(0, 100)]
    public int MinScore { get; set; } = 50;

    /// <summary>
    /// Seconds Hunter may spend verifying a found address (<c>max_duration</c>, 3 to 20).
    /// Null sends none and Hunter uses its default of 10. The attempt timeout must leave at
    /// least 2 s more than this.
    /// </summary>
    [Range(3, 20)]
    public int? MaxDurationSeconds { get; set; }

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        var maxDuration = TimeSpan.FromSeconds(MaxDurationSeconds ?? 10);
        if (Resilience.AttemptTimeout < maxDuration + AttemptTimeoutMargin)
        {
            yield return new ValidationResult(
                $"Resilience:AttemptTimeout ({Resilience.AttemptTimeout}) must be at least {AttemptTimeoutMargin.TotalSeconds} s longer than Hunter's max_duration ({maxDuration.TotalSeconds} s).",
                [$"{nameof(Resilience)}:{nameof(Resilience.AttemptTimeout)}", nameof(MaxDurationSeconds)]);
        }
    }
}
