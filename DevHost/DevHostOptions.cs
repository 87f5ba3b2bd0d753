using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.DevHost.Configuration;

namespace ContactEnrichment.DevHost;

/// <summary>How to build a <see cref="DevHostApplication"/>. The defaults are those of <c>DevHost serve</c>.</summary>
public sealed class DevHostOptions
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>Loopback http URL to listen on. Port 0 picks a free port (see <see cref="DevHostApplication.BaseAddress"/>).</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>
    /// Settings laid over every other configuration source, named as in local.settings.json
    /// (<c>Cosmos__Endpoint</c>) or as configuration keys (<c>Cosmos:Endpoint</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Runs after the app's own registrations, so it can replace any service (a TimeProvider, a provider).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Starts the queue trigger listeners. Default true.</summary>
    public bool EnableQueueListeners { get; init; } = true;

    /// <summary>Starts the timer trigger schedules. Default true.</summary>
    public bool EnableTimers { get; init; } = true;

    /// <summary>Reads local.settings.json (current folder, else the repository root). Default true.</summary>
    public bool LoadLocalSettings { get; init; } = true;

    /// <summary>Reads environment variables, where <c>__</c> separates sections. Default true.</summary>
    public bool LoadEnvironmentVariables { get; init; } = true;

    /// <summary>Configuration overrides in the <c>--Name=Value</c> form, above environment variables.</summary>
    public IReadOnlyList<string> CommandLineSettings { get; init; } = [];

    /// <summary>The functions to run; null means functions.metadata next to the app's function assembly.</summary>
    public FunctionCatalog? Functions { get; init; }

    /// <summary>host.json settings; null means host.json next to the functions, else in the repository root.</summary>
    public HostSettings? HostSettings { get; init; }
}
