using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>
/// DevHost run as a child process (<c>dotnet ContactEnrichment.DevHost.dll serve</c>) with its
/// settings in environment variables, so that a test can kill it by process id and start it again,
/// and the bench can read its memory from /proc. The bench links this file.
/// </summary>
internal sealed class DevHostChildProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;

    private DevHostChildProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    /// <summary>The ContactEnrichment.DevHost.dll that <see cref="StartAsync"/> runs.</summary>
    public static string AssemblyPath => DevHostAssembly();

    public static async Task<DevHostChildProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, int port)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            // A folder without local.settings.json, so that only the settings given here apply.
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(DevHostAssembly());
        startInfo.ArgumentList.Add("serve");
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var (name, value) in settings)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("DevHost runs", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"DevHost exited with code {process.ExitCode} before it was ready."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new DevHostChildProcess(process, baseAddress);
        try
        {
            await ready.Task.WaitAsync(StartTimeout);
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Kills the process by its id, as a crash or a scale-in would, and waits for it to exit.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        process.Dispose();
    }

    private static string DevHostAssembly()
    {
        // The calling binaries sit in <project>/bin/<Configuration>/net10.0 (the tests or the bench), so the
        // DevHost run is the one built in the same configuration. DevHost's own output has its runtimeconfig.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "DevHost", "bin", configuration, "net10.0", "ContactEnrichment.DevHost.dll");
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"{path} is missing; build DevHost in the {configuration} configuration (./dev test and ./dev bench do) first.");
    }
}
