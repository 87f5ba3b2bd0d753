using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ContactEnrichment.Core.Providers.Http;

/// <summary>
/// Builds the resilience pipeline of one HTTP provider, outermost first:
/// <list type="number">
/// <item><c>{provider}-total-timeout</c>: bounds the whole lookup, all attempts and delays.</item>
/// <item><c>{provider}-retry</c>: retries <see cref="HttpRequestException"/>, an attempt
/// timeout (<see cref="TimeoutRejectedException"/>), and the responses the provider marks as
/// transient (5xx, 408 and its rate-limit status), with exponential jittered back-off. A
/// <c>Retry-After</c> header (delta-seconds or HTTP-date) replaces the computed delay; one
/// longer than <see cref="HttpProviderResilienceOptions.MaxRetryAfter"/> is not retried.
/// Everything else, 401, 403 (unless the provider says it is a rate limit), other 4xx,
/// malformed bodies, an open circuit and caller cancellation, is not retried.</item>
/// <item><c>{provider}-circuit-breaker</c>: counts the same transient outcomes per attempt and
/// opens when their share reaches the failure ratio; while open, calls fail with
/// <see cref="BrokenCircuitException"/> without reaching the provider.</item>
/// <item><c>{provider}-attempt-timeout</c>: bounds one attempt, response body included.</item>
/// </list>
/// Every delay and timeout runs on the <see cref="TimeProvider"/> from the service container.
/// </summary>
internal static class HttpProviderPipeline
{
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        string provider,
        HttpProviderResilienceOptions options,
        Func<HttpResponseMessage, bool> isTransientResponse,
        TimeProvider timeProvider,
        ILogger logger)
    {
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = $"{provider}-total-timeout",
            Timeout = options.TotalTimeout,
        });

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(RetryOptions(provider, options, isTransientResponse, timeProvider, logger));
        }

        builder.AddCircuitBreaker(CircuitBreakerOptions(provider, options, isTransientResponse, logger));
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            Name = $"{provider}-attempt-timeout",
            Timeout = options.AttemptTimeout,
        });
    }

    /// <summary>
    /// Returns the wait a <c>Retry-After</c> header asks for, measured from now on
    /// <paramref name="timeProvider"/>, or null when the response has none. A date in the past
    /// gives zero.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - timeProvider.GetUtcNow() : null);
        return delay is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private static RetryStrategyOptions<HttpResponseMessage> RetryOptions(
        string provider,
        HttpProviderResilienceOptions options,
        Func<HttpResponseMessage, bool> isTransientResponse,
        TimeProvider timeProvider,
        ILogger logger) => new()
    {
        Name = $"{provider}-retry",
        MaxRetryAttempts = options.MaxRetryAttempts,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.RetryBaseDelay,
        MaxDelay = options.RetryMaxDelay,
        ShouldHandle = arguments => ValueTask.FromResult(
            IsTransient(arguments.Outcome, isTransientResponse)
            && !(arguments.Outcome.Result is { } response && RetryAfter(response, timeProvider) > options.MaxRetryAfter)),
        DelayGenerator = arguments => ValueTask.FromResult(
            arguments.Outcome.Result is { } response ? RetryAfter(response, timeProvider) : null),
        OnRetry = arguments =>
        {
            Log.ProviderRetrying(
                logger,
                provider,
                arguments.AttemptNumber + 1,
                (long)arguments.RetryDelay.TotalMilliseconds,
                Describe(arguments.Outcome));
            return ValueTask.CompletedTask;
        },
    };

    private static CircuitBreakerStrategyOptions<HttpResponseMessage> CircuitBreakerOptions(
        string provider,
        HttpProviderResilienceOptions options,
        Func<HttpResponseMessage, bool> isTransientResponse,
        ILogger logger) => new()
    {
        Name = $"{provider}-circuit-breaker",
        FailureRatio = options.CircuitFailureRatio,
        MinimumThroughput = options.CircuitMinimumThroughput,
        SamplingDuration = options.CircuitSamplingDuration,
        BreakDuration = options.CircuitBreakDuration,
        ShouldHandle = arguments => ValueTask.FromResult(IsTransient(arguments.Outcome, isTransientResponse)),
        OnOpened = arguments =>
        {
            Log.ProviderCircuitOpened(logger, provider, (long)arguments.BreakDuration.TotalMilliseconds, Describe(arguments.Outcome));
            return ValueTask.CompletedTask;
        },
        OnHalfOpened = _ =>
        {
            Log.ProviderCircuitHalfOpened(logger, provider);
            return ValueTask.CompletedTask;
        },
        OnClosed = _ =>
        {
            Log.ProviderCircuitClosed(logger, provider);
            return ValueTask.CompletedTask;
        },
    };

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, Func<HttpResponseMessage, bool> isTransientResponse) =>
        outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Exception: TimeoutRejectedException } => true,
            { Result: { } response } => isTransientResponse(response),
            _ => false,
        };

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? $"HTTP {(int)response.StatusCode}"
            : outcome.Exception?.GetType().Name ?? "no outcome";

    /// <summary>Returns true for 5xx and 408, the statuses every provider treats as transient.</summary>
    public static bool IsServerErrorOrRequestTimeout(HttpResponseMessage response) =>
        (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
}
