using System.Diagnostics;
using ContactEnrichment.Bench;

var options = BenchOptions.Parse(args);
var root = FindRoot();
var total = Stopwatch.StartNew();
using var stack = await BenchStack.StartAsync(root);
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
using var memory = new MemorySampler(() => Environment.WorkingSet);

var runs = new List<RunFigures>();
for (var run = 1; run <= options.Runs; run++)
{
    Console.Error.WriteLine($"bench: run {run} of {options.Runs}");
    runs.Add(await new BenchRun(stack, options, run).ExecuteAsync(http));
}

Console.Error.WriteLine("bench: app as a child process");
var child = await new BenchRun(stack, options, options.Runs + 1).MeasureChildProcessAsync(http);

total.Stop();
var report = new BenchReport(options, runs, child, memory.PeakBytes, ProcessStatus.HighWaterMarkBytes(), total.Elapsed, stack);
var output = Path.GetFullPath(Path.Combine(root, options.Output));
// The hand-written findings at the end of the page outlive a new run of the figures.
var findings = File.Exists(output) ? await File.ReadAllTextAsync(output) : "";
var findingsStart = findings.IndexOf("\n## Findings", StringComparison.Ordinal);
await File.WriteAllTextAsync(output, report.ToMarkdown() + (findingsStart < 0 ? "" : findings[(findingsStart + 1)..]));
Console.Error.WriteLine($"bench: wrote {output} in {total.Elapsed.TotalSeconds:F0} s");
Console.WriteLine(report.Summary());

static string FindRoot()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "ContactEnrichment.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the bench from a clone of the repository (ContactEnrichment.sln was not found above the current folder).");
}
