using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.DevHost.Configuration;

namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>How <see cref="LocalStackFixture.StartAppAsync"/> starts the app.</summary>
public sealed record AppStartOptions
{
    /// <summary>Settings laid over the fixture's, named as in local.settings.json.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Runs after the app's registrations, to replace services such as TimeProvider or a provider.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Starts the queue trigger listeners. Default false, so a test opts in to background processing.</summary>
    public bool EnableQueueListeners { get; init; }

    /// <summary>Starts the timer triggers. Default false.</summary>
    public bool EnableTimers { get; init; }

    /// <summary>Creates the database, containers and queues before start (idempotent). Default true.</summary>
    public bool InitializeStorage { get; init; } = true;

    /// <summary>The functions to run; null means the app's own, from functions.metadata.</summary>
    public FunctionCatalog? Functions { get; init; }

    /// <summary>host.json settings; null means the repository's host.json.</summary>
    public HostSettings? HostSettings { get; init; }
}
