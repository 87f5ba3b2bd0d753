using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ContactEnrichment.Functions.Tests.Providers;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer it starts, so a test can wait
/// until the code under test has scheduled a delay or timeout and then advance exactly past
/// it, instead of sleeping.
/// </summary>
internal sealed class ObservedClock : TimeProvider
{
    private static readonly TimeSpan RealTimeGuard = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider fake;
    private readonly Channel<TimeSpan> createdTimers = Channel.CreateUnbounded<TimeSpan>();

    public ObservedClock(DateTimeOffset start) => fake = new FakeTimeProvider(start);

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(fake.CreateTimer(callback, state, dueTime, period), this);
        Report(dueTime);
        return timer;
    }

    public void Advance(TimeSpan delta) => fake.Advance(delta);

    /// <summary>
    /// Waits until a timer whose due time matches <paramref name="match"/> is created, skipping
    /// others, and returns its due time. Throws <see cref="TimeoutException"/> after 10 s of real
    /// time without one.
    /// </summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match, CancellationToken cancellationToken = default)
    {
        using var guard = new CancellationTokenSource(RealTimeGuard);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(guard.Token, cancellationToken);
        try
        {
            while (true)
            {
                var dueTime = await createdTimers.Reader.ReadAsync(linked.Token);
                if (match(dueTime))
                {
                    return dueTime;
                }
            }
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested)
        {
            throw new TimeoutException($"No matching timer was created within {RealTimeGuard.TotalSeconds} s of real time.");
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/>, advancing the clock past each timer that matches
    /// <paramref name="isDelay"/> as soon as it is created, until the task completes.
    /// </summary>
    public async Task<T> AdvanceUntilCompletedAsync<T>(Task<T> task, Func<TimeSpan, bool> isDelay)
    {
        while (true)
        {
            using var stop = new CancellationTokenSource();
            var timer = WaitForTimerAsync(isDelay, stop.Token);
            if (await Task.WhenAny(task, timer) == task)
            {
                await stop.CancelAsync();
                await Task.WhenAny(timer);
                return await task;
            }

            Advance(await timer);
        }
    }

    // A timeout's cancellation source creates its timer stopped and starts it with Change, so
    // both creation and Change report the due time.
    private void Report(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            createdTimers.Writer.TryWrite(dueTime);
        }
    }

    private sealed class ObservedTimer(ITimer inner, ObservedClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Report(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
