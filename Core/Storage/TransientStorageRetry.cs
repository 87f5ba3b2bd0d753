using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ContactEnrichment.Core.Storage;

/// <summary>
/// Repeats a Cosmos DB operation that failed with a transient status (429, 503, 408 or 449),
/// on top of the SDK's own retries. Use it only for operations that are safe to repeat: reads,
/// queries, and writes whose repeat after an applied but unanswered attempt is detected
/// (409 on a create with a fixed id, 412 on an ETag or filter-guarded patch).
/// </summary>
public sealed partial class TransientStorageRetry
{
    /// <summary>Status 449 (RetryWith): a concurrent update conflicted inside the service.</summary>
    public const HttpStatusCode RetryWith = (HttpStatusCode)449;

    // Median of the first back-off, and the cap of every back-off, so that a few attempts add
    // well under a second to a request.
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(250);

    // A Retry-After from the service is obeyed up to this wait, so that a request is not held
    // for long after the SDK has already waited on its own retries.
    private static readonly TimeSpan MaxServerDelay = TimeSpan.FromSeconds(5);

    private readonly ResiliencePipeline pipeline;

    public TransientStorageRetry(IOptions<CosmosOptions> options, TimeProvider timeProvider, ILogger<TransientStorageRetry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaxRetries = options.Value.TransientRetries;
        pipeline = MaxRetries == 0 ? ResiliencePipeline.Empty : BuildPipeline(MaxRetries, timeProvider, logger);
    }

    /// <summary>Number of repeats after the first attempt (setting <c>Cosmos__TransientRetries</c>).</summary>
    public int MaxRetries { get; }

    /// <summary>Returns whether a failure is worth repeating: throttling, unavailability, timeout or RetryWith.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is CosmosException cosmos && cosmos.StatusCode is
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout or RetryWith;

    /// <summary>
    /// Runs <paramref name="operation"/>, repeating it after a transient failure. The last
    /// failure is rethrown when every attempt failed. <paramref name="operationName"/> names the
    /// operation in the retry log, such as <c>reserve credits</c>.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(
        string operationName, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var context = ResilienceContextPool.Shared.Get(operationName, cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(
                static async (context, state) => await state(context.CancellationToken), context, operation);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <inheritdoc cref="ExecuteAsync{T}(string, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public Task ExecuteAsync(string operationName, Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return ExecuteAsync(operationName, async token =>
        {
            await operation(token);
            return true;
        }, cancellationToken);
    }

    private static ResiliencePipeline BuildPipeline(int maxRetries, TimeProvider timeProvider, ILogger logger)
    {
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<CosmosException>(IsTransient),
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = BaseDelay,
            MaxDelay = MaxBackoff,
            DelayGenerator = arguments => ValueTask.FromResult(ServerDelay(arguments.Outcome.Exception)),
            OnRetry = arguments =>
            {
                var status = (arguments.Outcome.Exception as CosmosException)?.StatusCode ?? 0;
                Log.Retrying(logger, arguments.Context.OperationKey ?? "", (int)status, arguments.AttemptNumber + 1, maxRetries,
                    arguments.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        };

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddRetry(retry).Build();
    }

    /// <summary>
    /// Returns the failure's <c>Retry-After</c>, capped at <see cref="MaxServerDelay"/>, or null
    /// when it has none, so that Polly uses the jittered exponential back-off.
    /// </summary>
    private static TimeSpan? ServerDelay(Exception? exception)
    {
        var retryAfter = (exception as CosmosException)?.RetryAfter;
        if (retryAfter is not { } wait || wait <= TimeSpan.Zero)
        {
            return null;
        }

        return wait < MaxServerDelay ? wait : MaxServerDelay;
    }

    private static partial class Log
    {
        [LoggerMessage(9001, LogLevel.Warning, "Cosmos DB returned {Status} to {Operation}; repeating it in {DelayMilliseconds} ms (retry {Retry} of {MaxRetries})")]
        public static partial void Retrying(ILogger logger, string operation, int status, int retry, int maxRetries, double delayMilliseconds);
    }
}
