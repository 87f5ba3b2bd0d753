using Microsoft.Extensions.Logging;

namespace ContactEnrichment.DevHost;

/// <summary>DevHost's log messages (event ids 7001 to 7099). They carry ids and names, never message bodies or tokens.</summary>
internal static partial class Log
{
    [LoggerMessage(7001, LogLevel.Information, "Executed '{FunctionName}' ({Trigger}): succeeded in {DurationMs} ms")]
    public static partial void FunctionSucceeded(ILogger logger, string functionName, string trigger, long durationMs);

    [LoggerMessage(7002, LogLevel.Error, "Executed '{FunctionName}' ({Trigger}): failed in {DurationMs} ms")]
    public static partial void FunctionFailed(ILogger logger, Exception exception, string functionName, string trigger, long durationMs);

    [LoggerMessage(7003, LogLevel.Information, "Executed '{FunctionName}' (http {Method}): status {StatusCode} in {DurationMs} ms")]
    public static partial void HttpFunctionExecuted(ILogger logger, string functionName, string method, int statusCode, long durationMs);

    [LoggerMessage(7004, LogLevel.Information, "Executed '{FunctionName}' (http): the client aborted the request after {DurationMs} ms")]
    public static partial void HttpFunctionAborted(ILogger logger, string functionName, long durationMs);

    [LoggerMessage(7010, LogLevel.Information, "Mapped {Methods} /{Route} to '{FunctionName}'")]
    public static partial void HttpRouteMapped(ILogger logger, string methods, string route, string functionName);

    [LoggerMessage(7020, LogLevel.Information,
        "'{FunctionName}' listens to queue '{QueueName}': batch size {BatchSize}, new batch threshold {NewBatchThreshold}, max dequeue count {MaxDequeueCount}, encoding {Encoding}")]
    public static partial void QueueListenerStarted(ILogger logger, string functionName, string queueName, int batchSize, int newBatchThreshold, int maxDequeueCount, string encoding);

    [LoggerMessage(7021, LogLevel.Warning,
        "Queue '{QueueName}' of '{FunctionName}' does not exist; polling until it does. Run 'DevHost init' (or ./dev up) to create it")]
    public static partial void QueueNotFound(ILogger logger, string queueName, string functionName);

    [LoggerMessage(7022, LogLevel.Warning, "Receiving from queue '{QueueName}' failed; retrying after back-off")]
    public static partial void QueueReceiveFailed(ILogger logger, Exception exception, string queueName);

    [LoggerMessage(7023, LogLevel.Warning, "Message {MessageId} moved from '{QueueName}' to '{PoisonQueueName}' after {DequeueCount} deliveries")]
    public static partial void MessageMovedToPoison(ILogger logger, string messageId, string queueName, string poisonQueueName, long dequeueCount);

    [LoggerMessage(7024, LogLevel.Error,
        "Message {MessageId} on '{QueueName}' is not valid Base64; moved to '{PoisonQueueName}' without running '{FunctionName}'")]
    public static partial void InvalidMessageMovedToPoison(ILogger logger, string messageId, string queueName, string poisonQueueName, string functionName);

    [LoggerMessage(7025, LogLevel.Warning, "Renewing the lease of message {MessageId} on '{QueueName}' failed; it may be delivered again")]
    public static partial void LeaseRenewalFailed(ILogger logger, Exception exception, string messageId, string queueName);

    [LoggerMessage(7026, LogLevel.Warning, "Completing message {MessageId} on '{QueueName}' ({Action}) failed; it will be delivered again when its lease ends")]
    public static partial void MessageCompletionFailed(ILogger logger, Exception exception, string messageId, string queueName, string action);

    [LoggerMessage(7030, LogLevel.Information, "Timer '{FunctionName}' runs on schedule '{Schedule}' (UTC)")]
    public static partial void TimerStarted(ILogger logger, string functionName, string schedule);

    [LoggerMessage(7031, LogLevel.Debug, "Timer '{FunctionName}' next runs at {NextOccurrence:O}")]
    public static partial void TimerScheduled(ILogger logger, string functionName, DateTime nextOccurrence);
}
