using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Bench;

/// <summary>
/// Workload and memory of the app run as a DevHost child process. Memory sizes are in bytes.
/// Terminal is below Records when processing timed out.
/// </summary>
internal sealed record ChildProcessFigures(
    int Clients,
    int Requests,
    int Persons,
    int Records,
    int Terminal,
    double Seconds,
    bool ServerGarbageCollection,
    long SampledPeakBytes,
    long HighWaterMarkBytes);

internal sealed partial class BenchRun
{
    private const int ChildClients = 16;

    /// <summary>
    /// Runs <c>DevHost serve</c> as a child process with queue listeners and timers on, as <c>./dev up</c>
    /// runs it, and sends it batch requests of new persons from 16 clients, the same requests again,
    /// then waits until every record is terminal. The child's VmRSS is sampled every 100 ms, and its
    /// VmHWM is read before it is stopped by process id.
    /// </summary>
    public async Task<ChildProcessFigures> MeasureChildProcessAsync(HttpClient http)
    {
        if (ProcessStatus.Read(Environment.ProcessId) is null)
        {
            throw new InvalidOperationException(
                "The child process phase reads VmRSS and VmHWM from /proc/PID/status, which this system does not provide. Run the bench on Linux.");
        }

        const string database = "benchchild";
        // The in-process levels leave messages for their own databases in the queue that the child listens on.
        var queue = new QueueClient(stack.StorageConnectionString, StorageLayout.RequestQueue);
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();

        List<Batch> batches;
        await using (var storage = await BuildInitializedAsync(database))
        {
            batches = await SeedBatchesAsync([storage.Services], ChildClients, BenchOptions.RequestsPerClient(ChildClients));
        }

        var persons = batches.Sum(batch => batch.PersonIds.Count);
        ChildProgress($"seeded {persons} persons");
        var settings = stack.AppSettings(database);
        settings["Cosmos__CountRequests"] = "false";
        settings["SweepSchedule"] = ReadSampleSweepSchedule(stack.Root);
        // The child also serves the batch requests while it processes, so it gets four times the in-process allowance.
        var timeout = options.ProcessingTimeout * 4;

        using var child = await DevHostChildProcess.StartAsync(settings, DevHostChildProcess.FreePort());
        using var floor = new FloorClient(stack, database, parallelWrites: 1);
        var watch = Stopwatch.StartNew();
        int terminal, records;
        long sampledPeak;
        using (var sampler = new MemorySampler(() => ProcessStatus.Read(child.ProcessId)?.ResidentBytes))
        {
            await LoadRunner.RunAsync(batches, ChildClients, batch => PostBatchAsync(http, child.BaseAddress, batch));
            ChildProgress($"{batches.Count} batch requests of new persons sent");
            await LoadRunner.RunAsync(batches, ChildClients, batch => PostBatchAsync(http, child.BaseAddress, batch));
            ChildProgress($"the same {batches.Count} batch requests sent again");
            (terminal, records) = await WaitForTerminalAsync(floor, batches.Select(batch => batch.OrgId).Distinct().ToList(), watch, timeout);
            sampledPeak = sampler.PeakBytes;
        }

        watch.Stop();
        var final = ProcessStatus.Read(child.ProcessId)
            ?? throw new InvalidOperationException($"The DevHost child process {child.ProcessId} exited before its VmHWM was read.");
        child.Kill();
        ChildProgress($"{terminal} of {records} records terminal in {watch.Elapsed.TotalSeconds:F1} s, " +
            $"VmHWM {final.HighWaterMarkBytes / 1024.0 / 1024.0:F0} MB");
        return new ChildProcessFigures(
            ChildClients, batches.Count, persons, records, terminal, watch.Elapsed.TotalSeconds,
            ReadServerGarbageCollection(), sampledPeak, final.HighWaterMarkBytes);
    }

    /// <summary>Polls every organization's records until all are terminal or <paramref name="timeout"/> has passed since <paramref name="watch"/> started.</summary>
    private static async Task<(int Terminal, int Records)> WaitForTerminalAsync(
        FloorClient floor, IReadOnlyList<string> orgIds, Stopwatch watch, TimeSpan timeout)
    {
        while (true)
        {
            int terminal = 0, records = 0;
            foreach (var orgId in orgIds)
            {
                var (orgTerminal, orgRecords) = await floor.CountTerminalAsync(orgId, CancellationToken.None);
                terminal += orgTerminal;
                records += orgRecords;
            }

            if (terminal == records || watch.Elapsed > timeout)
            {
                if (terminal < records)
                {
                    ChildProgress($"only {terminal} of {records} records terminal after {watch.Elapsed.TotalSeconds:F0} s");
                }

                return (terminal, records);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static void ChildProgress(string message) =>
        Console.Error.WriteLine($"bench: child process: {message}");

    /// <summary>
    /// Reads <c>System.GC.Server</c> from DevHost's runtimeconfig.json, the garbage collector mode the child
    /// starts with unless a <c>DOTNET_gcServer</c> environment variable overrides it. Absent means workstation GC.
    /// </summary>
    private static bool ReadServerGarbageCollection()
    {
        var path = Path.ChangeExtension(DevHostChildProcess.AssemblyPath, ".runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties)
            && properties.TryGetProperty("System.GC.Server", out var server)
            && server.ValueKind == JsonValueKind.True;
    }

    /// <summary>The sweep schedule that <c>./dev up</c> runs with, from local.settings.sample.json.</summary>
    private static string ReadSampleSweepSchedule(string root)
    {
        var path = Path.Combine(root, "local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("Values").GetProperty("SweepSchedule").GetString()
            ?? throw new InvalidOperationException($"{path} has no Values.SweepSchedule string.");
    }
}
