using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using ContactEnrichment.DevHost.Invocation;

namespace ContactEnrichment.DevHost.Timers;

/// <summary>
/// Runs one timer-triggered function on its NCRONTAB schedule in UTC, using the app's
/// <see cref="TimeProvider"/> so that tests can drive it. Like the Functions host, it never
/// overlaps invocations of the same function: the next occurrence is computed after the
/// previous invocation ends, and missed occurrences are skipped.
/// </summary>
internal sealed class TimerTriggerScheduler(
    BoundFunction function,
    TimerSchedule schedule,
    bool runOnStartup,
    FunctionInvoker invoker,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<TimerTriggerScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.TimerStarted(logger, function.Name, schedule.Expression);
        DateTime? last = null;
        try
        {
            if (runOnStartup)
            {
                // ExecuteAsync runs while the rest of the host is still starting, so the startup
                // invocation waits until the host has started and cannot race the web server's start.
                await WaitUntilStartedAsync(stoppingToken);
                last = timeProvider.GetUtcNow().UtcDateTime;
                await InvokeAsync(last.Value, last: null, stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var now = timeProvider.GetUtcNow();
                var next = schedule.Crontab.GetNextOccurrence(now.UtcDateTime);
                Log.TimerScheduled(logger, function.Name, next);
                await Task.Delay(new DateTimeOffset(next, TimeSpan.Zero) - now, timeProvider, stoppingToken);
                await InvokeAsync(next, last, stoppingToken);
                last = next;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WaitUntilStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private Task<bool> InvokeAsync(DateTime occurrence, DateTime? last, CancellationToken stoppingToken)
    {
        // DevHost keeps no schedule monitor, so no invocation is a catch-up of a missed one.
        var timer = new TimerInfo
        {
            IsPastDue = false,
            ScheduleStatus = new ScheduleStatus
            {
                Last = last ?? default,
                Next = schedule.Crontab.GetNextOccurrence(occurrence),
                LastUpdated = occurrence,
            },
        };
        return invoker.InvokeTimerAsync(function, timer, stoppingToken);
    }
}

/// <summary>A parsed six-field NCRONTAB expression (seconds, minutes, hours, day, month, day of week).</summary>
internal sealed record TimerSchedule(string Expression, CrontabSchedule Crontab)
{
    /// <exception cref="DevHostConfigurationException">The expression is not a valid six-field NCRONTAB expression.</exception>
    public static TimerSchedule Parse(string expression, string functionName)
    {
        var crontab = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return crontab is null
            ? throw new DevHostConfigurationException(
                $"Function '{functionName}': schedule '{expression}' is not a six-field NCRONTAB expression " +
                "(second minute hour day month day-of-week, for example '0 */5 * * * *').")
            : new TimerSchedule(expression, crontab);
    }
}
