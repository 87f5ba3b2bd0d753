using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>What <see cref="ProcessingApp.StartAsync"/> adds to the app for a processing test.</summary>
internal sealed record ProcessingAppOptions
{
    /// <summary>Put first in the waterfall of both fields; null keeps the directory provider.</summary>
    public FakeContactProvider? Provider { get; init; }

    /// <summary>The directory file the directory provider reads; null keeps the demo directory.</summary>
    public string? DirectoryPath { get; init; }

    /// <summary>Replaces the app's TimeProvider.</summary>
    public FakeTimeProvider? Time { get; init; }

    /// <summary>Added to the Cosmos client's pipeline.</summary>
    public CosmosCrashHandler? Crashes { get; init; }

    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public bool EnableQueueListeners { get; init; }

    public global::ContactEnrichment.DevHost.Configuration.HostSettings? HostSettings { get; init; }
}

internal static class ProcessingApp
{
    public static Task<RunningApp> StartAsync(LocalStackFixture stack, ProcessingAppOptions options)
    {
        var settings = new Dictionary<string, string?>(options.Settings, StringComparer.OrdinalIgnoreCase);
        if (options.Provider is { } provider)
        {
            settings["Providers__Order__emails__0"] = provider.Name;
            settings["Providers__Order__phones__0"] = provider.Name;
        }

        if (options.DirectoryPath is { } path)
        {
            settings["Providers__Directory__Path"] = path;
        }

        return stack.StartAppAsync(new AppStartOptions
        {
            Settings = settings,
            EnableQueueListeners = options.EnableQueueListeners,
            HostSettings = options.HostSettings,
            ConfigureServices = services =>
            {
                if (options.Provider is { } fake)
                {
                    services.AddContactProvider(fake);
                }

                if (options.Time is { } time)
                {
                    services.AddSingleton<TimeProvider>(time);
                }

                if (options.Crashes is { } crashes)
                {
                    services.AddSingleton<RequestHandler>(crashes);
                }

                options.ConfigureServices?.Invoke(services);
            },
        });
    }

    /// <summary>A clock at the real current time, which tests then move forward.</summary>
    public static FakeTimeProvider StartClockNow() => new(TimeProvider.System.GetUtcNow());
}
