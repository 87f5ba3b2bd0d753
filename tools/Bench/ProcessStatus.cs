using System.Globalization;

namespace ContactEnrichment.Bench;

/// <summary>Resident set figures of a process, in bytes, from /proc/PID/status.</summary>
internal sealed record ProcessMemory(long ResidentBytes, long HighWaterMarkBytes);

internal static class ProcessStatus
{
    /// <summary>
    /// Reads VmRSS (current resident set) and VmHWM (peak resident set) of a process. Returns null when
    /// /proc/<paramref name="processId"/>/status cannot be read, as after the process has exited.
    /// </summary>
    public static ProcessMemory? Read(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>VmHWM of this process, or -1 where /proc/PID/status cannot be read.</summary>
    public static long HighWaterMarkBytes() => Read(Environment.ProcessId)?.HighWaterMarkBytes ?? -1;

    /// <summary>
    /// Parses the VmRSS and VmHWM lines of a /proc/PID/status text, which the kernel writes as
    /// <c>VmHWM:    123456 kB</c>. Returns null when either line is missing or malformed, as for a zombie process.
    /// </summary>
    public static ProcessMemory? Parse(string statusText)
    {
        long? resident = null, highWaterMark = null;
        foreach (var line in statusText.Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = ParseKilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                highWaterMark = ParseKilobytes(line);
            }
        }

        return resident is { } rss && highWaterMark is { } hwm ? new ProcessMemory(rss, hwm) : null;
    }

    private static long? ParseKilobytes(string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 3
            && fields[2] == "kB"
            && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes)
            ? kilobytes * 1024
            : null;
    }
}
