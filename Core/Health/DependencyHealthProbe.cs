using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Health;

/// <summary>The result of one dependency check; <see cref="Name"/> is the name the health endpoint reports.</summary>
public sealed record DependencyCheck(string Name, bool Healthy);

/// <summary>The results of all dependency checks, in a fixed order.</summary>
public sealed record DependencyHealthReport(IReadOnlyList<DependencyCheck> Checks)
{
    public bool Healthy => Checks.All(check => check.Healthy);
}

/// <summary>
/// Checks that Cosmos DB and the request queue respond, each with one cheap read bounded by
/// <see cref="HealthOptions.CheckTimeout"/>. Failures are logged with their exception for the
/// operator, and callers get only the dependency's name and state.
/// </summary>
public sealed class DependencyHealthProbe(
    CosmosStore cosmos,
    QueueClientFactory queues,
    IOptions<HealthOptions> options,
    TimeProvider timeProvider,
    ILogger<DependencyHealthProbe> logger)
{
    public const string Cosmos = "cosmos";
    public const string Queue = "queue";

    public async Task<DependencyHealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            CheckAsync(Cosmos, async token => await cosmos.Client.GetDatabase(cosmos.DatabaseName).ReadAsync(cancellationToken: token), cancellationToken),
            CheckAsync(Queue, async token => await queues.GetQueue(StorageLayout.RequestQueue).GetPropertiesAsync(token), cancellationToken));
        return new DependencyHealthReport(checks);
    }

    private async Task<DependencyCheck> CheckAsync(string name, Func<CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        var timeout = options.Value.CheckTimeout;
        var started = timeProvider.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // WaitAsync bounds the check even where a client keeps retrying past its token.
            await Task.Run(() => read(bounded.Token), CancellationToken.None).WaitAsync(timeout, timeProvider, cancellationToken);
            return new DependencyCheck(name, true);
        }
        catch (TimeoutException)
        {
            await bounded.CancelAsync();
            Log.CheckTimedOut(logger, name, timeout.TotalMilliseconds);
            return new DependencyCheck(name, false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            Log.CheckFailed(logger, exception, name, timeProvider.GetElapsedTime(started).TotalMilliseconds);
            return new DependencyCheck(name, false);
        }
    }
}
