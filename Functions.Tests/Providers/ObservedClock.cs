using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ContactEnrichment.Functions.Tests.Providers;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer it creates, so a test can wait
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
        var timer = fake.CreateTimer(callback, state, dueTime, period);
        createdTimers.Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan delta) => fake.Advance(delta);

    /// <summary>
    /// Waits (at most 10 s of real time) until a timer whose due time matches
    /// <paramref name="match"/> is created, skipping others, and returns its due time.
    /// </summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        using var guard = new CancellationTokenSource(RealTimeGuard);
        while (true)
        {
            var dueTime = await createdTimers.Reader.ReadAsync(guard.Token);
            if (match(dueTime))
            {
                return dueTime;
            }
        }
    }
}
