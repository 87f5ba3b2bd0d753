using System.Diagnostics;

namespace ContactEnrichment.Bench;

/// <summary>Latencies of one load level: every call's time and the wall time of the whole level.</summary>
internal sealed record LoadResult(IReadOnlyList<double> LatenciesMs, double ElapsedSeconds)
{
    public double RequestsPerSecond => LatenciesMs.Count / ElapsedSeconds;

    public double Percentile(double p) => Stats.Percentile(LatenciesMs, p);
}

internal static class LoadRunner
{
    /// <summary>Runs every work item once, from <paramref name="clients"/> concurrent callers taking items in turn.</summary>
    public static async Task<LoadResult> RunAsync<T>(IReadOnlyList<T> items, int clients, Func<T, Task> call)
    {
        var next = -1;
        var latencies = new double[items.Count];
        var total = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, clients).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < items.Count)
            {
                var watch = Stopwatch.StartNew();
                await call(items[index]);
                latencies[index] = watch.Elapsed.TotalMilliseconds;
            }
        });
        await Task.WhenAll(callers);
        return new LoadResult(latencies, total.Elapsed.TotalSeconds);
    }
}

internal static class Stats
{
    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 50);
}
