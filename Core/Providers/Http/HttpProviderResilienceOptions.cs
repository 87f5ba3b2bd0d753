using System.ComponentModel.DataAnnotations;

namespace ContactEnrichment.Core.Providers.Http;

/// <summary>
/// Timings of one HTTP provider's resilience pipeline, bound from
/// <c>Providers:&lt;Provider&gt;:Resilience</c>. Limits follow what Polly accepts, so that a bad
/// value fails at start instead of at the first call.
/// </summary>
public sealed class HttpProviderResilienceOptions : IValidatableObject
{
    /// <summary>Upper bound of one lookup, all attempts and back-off delays included. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of one attempt, response body included. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt; 0 turns retries off. Default 3.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Median first back-off delay; later delays grow exponentially with jitter. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of a computed back-off delay. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest <c>Retry-After</c> that is waited for. A response asking for a longer wait is
    /// not retried and fails as rate limited. Default 20 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of failed attempts in the sampling window that opens the circuit. Default 0.5.</summary>
    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts the sampling window needs before the ratio counts. Default 10.</summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>Window over which the failure ratio is measured. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit rejects calls before it lets one probe through. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ParseLimitsInInvariantCulture = true)]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeout > TotalTimeout)
        {
            yield return new ValidationResult(
                $"AttemptTimeout ({AttemptTimeout}) must not exceed TotalTimeout ({TotalTimeout}).",
                [nameof(AttemptTimeout), nameof(TotalTimeout)]);
        }

        if (RetryBaseDelay > RetryMaxDelay)
        {
            yield return new ValidationResult(
                $"RetryBaseDelay ({RetryBaseDelay}) must not exceed RetryMaxDelay ({RetryMaxDelay}).",
                [nameof(RetryBaseDelay), nameof(RetryMaxDelay)]);
        }
    }
}
