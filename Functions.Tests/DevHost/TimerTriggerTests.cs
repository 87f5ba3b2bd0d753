using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ContactEnrichment.DevHost;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.DevHost;

[Collection(LocalStackDefinition.Name)]
public sealed class TimerTriggerTests(LocalStackFixture stack)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly TimerProbe probe = new();
    private readonly FakeTimeProvider time = new(Start);

    [Fact]
    public async Task Schedule_FiresAtEachOccurrenceAsTimeAdvances()
    {
        await using var app = await StartAsync(typeof(TimerTestFunction), "0 */5 * * * *");

        await AdvanceUntilAsync(1);
        await AdvanceUntilAsync(2);

        var invocations = probe.Invocations.ToArray();
        Assert.Equal(Start.UtcDateTime.AddMinutes(5), invocations[0].ScheduleStatus!.LastUpdated);
        Assert.Equal(Start.UtcDateTime.AddMinutes(10), invocations[0].ScheduleStatus!.Next);
        Assert.Equal(Start.UtcDateTime.AddMinutes(10), invocations[1].ScheduleStatus!.LastUpdated);
        Assert.Equal(Start.UtcDateTime.AddMinutes(5), invocations[1].ScheduleStatus!.Last);
        Assert.All(invocations, timer => Assert.False(timer.IsPastDue));
    }

    [Fact]
    public async Task Schedule_SecondsField_IsHonoured()
    {
        await using var app = await StartAsync(typeof(TimerTestFunction), "30 * * * * *");

        await AdvanceUntilAsync(1, step: TimeSpan.FromSeconds(10));

        Assert.Equal(30, Assert.Single(probe.Invocations).ScheduleStatus!.LastUpdated.Second);
    }

    [Fact]
    public async Task RunOnStartup_FiresWithoutTimeAdvancing()
    {
        await using var app = await StartAsync(typeof(StartupTimerTestFunction), schedule: null);

        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 1);

        Assert.Equal(Start.UtcDateTime, Assert.Single(probe.Invocations).ScheduleStatus!.LastUpdated);
    }

    [Fact]
    public async Task Schedule_FiveFields_IsRejected()
    {
        var error = await Assert.ThrowsAsync<DevHostConfigurationException>(() => StartAsync(typeof(TimerTestFunction), "*/5 * * * *"));

        Assert.Contains("six-field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_SettingMissing_IsRejected()
    {
        var error = await Assert.ThrowsAsync<DevHostConfigurationException>(() => StartAsync(typeof(TimerTestFunction), schedule: null));

        Assert.Contains($"%{TimerTestFunction.ScheduleSetting}%", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timers_Disabled_NeverFire()
    {
        await using var app = await StartAsync(typeof(StartupTimerTestFunction), schedule: null, enableTimers: false);

        time.Advance(TimeSpan.FromDays(400));
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.Empty(probe.Invocations);
    }

    private Task<RunningApp> StartAsync(Type functionType, string? schedule, bool enableTimers = true)
    {
        var settings = new Dictionary<string, string?>();
        if (schedule is not null)
        {
            settings[TimerTestFunction.ScheduleSetting] = schedule;
        }

        return stack.StartAppAsync(new AppStartOptions
        {
            Functions = FunctionCatalog.FromTypes(functionType),
            Settings = settings,
            ConfigureServices = services =>
            {
                services.AddSingleton(probe);
                services.AddSingleton<TimeProvider>(time);
            },
            EnableTimers = enableTimers,
            InitializeStorage = false,
        });
    }

    /// <summary>
    /// Advances the fake clock in small steps until the function has run <paramref name="count"/>
    /// times. Small steps matter: the scheduler arms its delay asynchronously, and a jump made
    /// before it is armed would move its next occurrence instead of reaching it.
    /// </summary>
    private async Task AdvanceUntilAsync(int count, TimeSpan? step = null)
    {
        await Eventually.WaitUntilAsync(async () =>
        {
            if (probe.Invocations.Count >= count)
            {
                return true;
            }

            time.Advance(step ?? TimeSpan.FromMinutes(1));
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            return probe.Invocations.Count >= count;
        });
        Assert.Equal(count, probe.Invocations.Count);
    }
}
