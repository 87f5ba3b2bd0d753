using System.Runtime.CompilerServices;

namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>Polls a condition that background work (a queue listener, a timer) makes true.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <exception cref="TimeoutException">The condition stayed false for <paramref name="timeout"/> (default 30 s); the message quotes it.</exception>
    public static Task WaitUntilAsync(
        Func<bool> condition, TimeSpan? timeout = null, [CallerArgumentExpression(nameof(condition))] string expectation = "") =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, expectation);

    /// <exception cref="TimeoutException">The condition stayed false for <paramref name="timeout"/> (default 30 s); the message quotes it.</exception>
    public static async Task WaitUntilAsync(
        Func<Task<bool>> condition, TimeSpan? timeout = null, [CallerArgumentExpression(nameof(condition))] string expectation = "")
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var deadline = TimeProvider.System.GetTimestamp() + (long)(limit.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!await condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds} s for: {expectation}");
            }

            await Task.Delay(PollInterval);
        }
    }
}
