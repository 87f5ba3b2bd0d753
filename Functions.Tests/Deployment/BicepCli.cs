using System.Diagnostics;
using System.Reflection;

namespace ContactEnrichment.Functions.Tests.Deployment;

/// <summary>Output of one Bicep CLI run.</summary>
public sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError)
{
    private const int MaxOutputShown = 2000;

    /// <summary>Exit code, the start of stdout (which may be a whole template) and stderr, for assertion messages.</summary>
    public string Diagnostics =>
        $"exit code {ExitCode}\nstdout:\n{Shorten(StandardOutput)}\nstderr:\n{StandardError}";

    private static string Shorten(string text) =>
        text.Length <= MaxOutputShown ? text : $"{text[..MaxOutputShown]}... ({text.Length} characters)";
}

/// <summary>
/// Runs the Bicep CLI that the test project downloads from the NuGet package
/// Azure.Bicep.CommandLine.linux-x64 (see Functions.Tests.csproj), from the repository root.
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<string> ExecutablePath = new(FindExecutable);

    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(ExecutablePath.Value)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        using var timeout = new CancellationTokenSource(Timeout);
        var standardOutput = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var standardError = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepResult(process.ExitCode, await standardOutput, await standardError);
    }

    private static string FindExecutable()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture
            != System.Runtime.InteropServices.Architecture.X64)
        {
            throw new PlatformNotSupportedException(
                "The Deployment tests run the Bicep CLI from Azure.Bicep.CommandLine.linux-x64, which needs Linux on x64.");
        }

        var packageRoot = ReadMetadata("NuGetPackageRoot");
        var version = ReadMetadata("BicepCliVersion");
        var path = Path.Combine(packageRoot, "azure.bicep.commandline.linux-x64", version, "tools", "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI is missing at {path}; run `dotnet restore Functions.Tests` to download it.", path);
        }

        // NuGet extracts package files without guaranteeing the execute bit.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }

    private static string ReadMetadata(string key)
    {
        var value = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value;
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException(
                $"Assembly metadata {key} is missing or empty; Functions.Tests.csproj sets it during the build.");
        }

        return value;
    }
}
