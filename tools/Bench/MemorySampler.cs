using System.Globalization;

namespace ContactEnrichment.Bench;

/// <summary>Samples this process's resident set every 100 ms and keeps the largest value.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Timer timer;
    private long peak;

    public MemorySampler()
    {
        timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    public long PeakBytes => Interlocked.Read(ref peak);

    public void Dispose() => timer.Dispose();

    private void Sample()
    {
        var current = Environment.WorkingSet;
        long seen;
        while (current > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, current, seen) != seen)
        {
        }
    }
}

internal static class ProcessStatus
{
    /// <summary>VmHWM of /proc/self/status (peak resident set), or -1 where it is not available.</summary>
    public static long HighWaterMarkBytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return -1;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kilobytes is null ? -1 : long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }
}
