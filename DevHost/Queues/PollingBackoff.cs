using ContactEnrichment.DevHost.Configuration;

namespace ContactEnrichment.DevHost.Queues;

/// <summary>
/// The wait between polls of an empty queue: 100 ms, doubled after each empty poll up to the
/// maximum polling interval, and back to 100 ms once a message arrives.
/// </summary>
internal sealed class PollingBackoff(TimeSpan maxInterval)
{
    private TimeSpan next = QueueHostSettings.MinPollingInterval;

    public TimeSpan Next()
    {
        var current = next;
        next = TimeSpan.FromTicks(Math.Min(next.Ticks * 2, maxInterval.Ticks));
        return current < maxInterval ? current : maxInterval;
    }

    public void Reset() => next = QueueHostSettings.MinPollingInterval;
}
