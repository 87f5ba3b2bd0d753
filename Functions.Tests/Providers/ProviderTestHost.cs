using ContactEnrichment.Core.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Functions.Tests.Providers;

/// <summary>
/// The provider services as <c>AddContactProviders</c> registers them, with in-memory
/// settings, an <see cref="ObservedClock"/> and every log entry captured.
/// </summary>
internal sealed class ProviderTestHost : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public ProviderTestHost(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddContactProviders(configuration);
        configure?.Invoke(services);
        Services = services.BuildServiceProvider();
    }

    public ObservedClock Clock { get; } = new(Start);

    public CapturingLoggerProvider Logs { get; } = new();

    public ServiceProvider Services { get; }

    public IContactProvider Provider(string name) =>
        Services.GetServices<IContactProvider>().Single(provider => provider.Name == name);

    /// <summary>Runs the same options validation a host runs at start.</summary>
    public Task ValidateOnStartAsync() =>
        Services.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None);

    public void Dispose() => Services.Dispose();
}
