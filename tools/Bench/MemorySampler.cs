namespace ContactEnrichment.Bench;

/// <summary>Samples a memory reading every 100 ms and keeps the maximum, in bytes.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Func<long?> read;
    private readonly Timer timer;
    private long peak;

    /// <param name="read">Returns the current resident set in bytes, or null when no value can be read.</param>
    public MemorySampler(Func<long?> read)
    {
        this.read = read;
        timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    public long PeakBytes => Interlocked.Read(ref peak);

    public void Dispose() => timer.Dispose();

    private void Sample()
    {
        if (read() is not { } current)
        {
            return;
        }

        long seen;
        while (current > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, current, seen) != seen)
        {
        }
    }
}
