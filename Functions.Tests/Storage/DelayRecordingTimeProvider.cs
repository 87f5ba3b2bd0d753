using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ContactEnrichment.Functions.Tests.Storage;

/// <summary>
/// A fake clock that records the due time of every one-shot timer, which is how
/// <c>Task.Delay</c> with a <see cref="TimeProvider"/> waits, so a test reads each retry delay
/// and moves the clock past it instead of sleeping.
/// </summary>
internal sealed class DelayRecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> pending = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Due times of the one-shot timers created so far, in order.</summary>
    public List<TimeSpan> Delays { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period == Timeout.InfiniteTimeSpan && dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (Delays)
            {
                Delays.Add(dueTime);
            }

            pending.Writer.TryWrite(dueTime);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Waits, for at most 10 s of real time, until the next delay starts, and returns its length.</summary>
    public async Task<TimeSpan> NextDelayAsync() =>
        await pending.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Moves the clock past each delay that <paramref name="run"/> starts, until it ends.</summary>
    public async Task RunDelaysAsync(Task run)
    {
        ArgumentNullException.ThrowIfNull(run);
        while (!run.IsCompleted)
        {
            var next = pending.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(run, next).WaitAsync(TimeSpan.FromSeconds(10)) == run)
            {
                return;
            }

            Advance(await next);
        }
    }
}
