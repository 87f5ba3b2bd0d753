using Microsoft.Extensions.Logging;

namespace ContactEnrichment.Core.Health;

/// <summary>Log messages of the health checks, event ids 8001 to 8099.</summary>
internal static partial class Log
{
    [LoggerMessage(8001, LogLevel.Warning, "Health check of {Dependency} failed after {ElapsedMilliseconds} ms")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string dependency, double elapsedMilliseconds);

    [LoggerMessage(8002, LogLevel.Warning, "Health check of {Dependency} did not answer within {TimeoutMilliseconds} ms")]
    public static partial void CheckTimedOut(ILogger logger, string dependency, double timeoutMilliseconds);
}
