using ContactEnrichment.Bench;

namespace ContactEnrichment.Functions.Tests.Bench;

public sealed class ProcessStatusTests
{
    // The layout of /proc/PID/status on Linux 6.x: a name, a colon, tab or space padding, a value in kB.
    private const string StatusText =
        "Name:\tdotnet\n" +
        "State:\tS (sleeping)\n" +
        "VmPeak:\t 3512340 kB\n" +
        "VmSize:\t 3498212 kB\n" +
        "VmHWM:\t  301224 kB\n" +
        "VmRSS:\t  287656 kB\n" +
        "RssAnon:\t  190000 kB\n" +
        "Threads:\t31\n";

    [Fact]
    public void Parse_StatusText_ReturnsBytes()
    {
        var memory = ProcessStatus.Parse(StatusText);

        Assert.NotNull(memory);
        Assert.Equal(287_656L * 1024, memory.ResidentBytes);
        Assert.Equal(301_224L * 1024, memory.HighWaterMarkBytes);
    }

    [Theory]
    [InlineData("Name:\tkworker\nState:\tI (idle)\nThreads:\t1\n")]
    [InlineData("VmHWM:\t  301224 kB\n")]
    [InlineData("VmHWM:\t  301224 kB\nVmRSS:\t  many kB\n")]
    [InlineData("VmHWM:\t  301224 kB\nVmRSS:\t  287656 MB\n")]
    [InlineData("")]
    public void Parse_MissingOrMalformedLine_ReturnsNull(string statusText)
    {
        Assert.Null(ProcessStatus.Parse(statusText));
    }

    // The two Read tests need Linux /proc, as the bench does.
    [Fact]
    public void Read_CurrentProcess_ReturnsResidentSet()
    {
        var memory = ProcessStatus.Read(Environment.ProcessId);

        Assert.NotNull(memory);
        Assert.True(memory.ResidentBytes > 0, $"VmRSS is {memory.ResidentBytes} bytes.");
        Assert.True(memory.HighWaterMarkBytes >= memory.ResidentBytes, $"VmHWM {memory.HighWaterMarkBytes} is below VmRSS {memory.ResidentBytes}.");
    }

    [Fact]
    public void Read_ProcessThatDoesNotExist_ReturnsNull()
    {
        // Above the kernel's largest pid_max (2^22), so no process has this id.
        Assert.Null(ProcessStatus.Read(int.MaxValue));
    }
}
