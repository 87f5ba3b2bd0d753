using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>
/// A Node.js service (Azurite or the Cosmos DB stand-in) started for the test run. It is ready
/// once its output has matched every ready pattern; it is stopped by its process id.
/// </summary>
internal sealed class LocalServiceProcess : IDisposable
{
    private const int MaxOutputChars = 16_000;

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Regex[] readyPatterns;
    private readonly Match?[] matches;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LocalServiceProcess(string name, Process process, Regex[] readyPatterns)
    {
        Name = name;
        this.process = process;
        this.readyPatterns = readyPatterns;
        matches = new Match?[readyPatterns.Length];
    }

    public string Name { get; }

    public int ProcessId => process.Id;

    /// <summary>The first match of each ready pattern, in the order given.</summary>
    public IReadOnlyList<Match> ReadyMatches => matches.Select(m => m!).ToList();

    /// <summary>
    /// Starts <c>node</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>
    /// and waits until its output matched every pattern.
    /// </summary>
    /// <exception cref="TimeoutException">The patterns did not all match within <paramref name="timeout"/>; the process is stopped.</exception>
    /// <exception cref="InvalidOperationException">The process exited before it was ready.</exception>
    public static async Task<LocalServiceProcess> StartAsync(
        string name, string nodePath, string workingDirectory, IEnumerable<string> arguments, Regex[] readyPatterns, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(nodePath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // tools/exit-with-parent.cjs ends the service when this test process is gone.
        startInfo.Environment["LOCAL_SERVICES_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var service = new LocalServiceProcess(name, new Process { StartInfo = startInfo, EnableRaisingEvents = true }, readyPatterns);
        service.process.OutputDataReceived += (_, line) => service.OnOutput(line.Data);
        service.process.ErrorDataReceived += (_, line) => service.OnOutput(line.Data);
        service.process.Exited += (_, _) => service.ready.TrySetException(new InvalidOperationException(
            $"{name} exited with code {service.process.ExitCode} before it was ready. Its output:\n{service.Output}"));
        service.process.Start();
        service.process.BeginOutputReadLine();
        service.process.BeginErrorReadLine();

        try
        {
            await service.ready.Task.WaitAsync(timeout);
            return service;
        }
        catch (TimeoutException)
        {
            service.Dispose();
            throw new TimeoutException($"{name} was not ready within {timeout.TotalSeconds} s. Its output:\n{service.Output}");
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Kills the process by its id and waits for it to exit.</summary>
    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // The process was never started or has already been reaped.
        }

        process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < MaxOutputChars)
            {
                output.AppendLine(line);
            }

            for (var i = 0; i < readyPatterns.Length; i++)
            {
                if (matches[i] is null && readyPatterns[i].Match(line) is { Success: true } match)
                {
                    matches[i] = match;
                }
            }

            if (matches.All(m => m is not null))
            {
                ready.TrySetResult();
            }
        }
    }
}
