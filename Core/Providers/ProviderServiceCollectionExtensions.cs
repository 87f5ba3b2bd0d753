using ContactEnrichment.Core.Providers.Directory;
using ContactEnrichment.Core.Providers.Http;
using ContactEnrichment.Core.Providers.Hunter;
using ContactEnrichment.Core.Providers.PeopleDataLabs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Core.Providers;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the contact providers (<c>directory</c>, <c>peopledatalabs</c>, <c>hunter</c>),
    /// the <see cref="ContactNormalizer"/> and the <see cref="ProviderWaterfall"/>, with their
    /// settings from <c>Providers</c>, validated when the host starts.
    /// </summary>
    public static IServiceCollection AddContactProviders(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ProvidersOptions>()
            .Bind(configuration.GetSection(ProvidersOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProvidersOptions>, ProvidersOptionsValidator>();
        services.AddSingleton<ContactNormalizer>();
        services.AddSingleton<ProviderWaterfall>();

        services.AddDirectoryProvider(configuration);
        services.AddHttpProvider<PeopleDataLabsOptions, PeopleDataLabsProvider>(
            configuration,
            PeopleDataLabsOptions.SectionName,
            PeopleDataLabsProvider.ProviderName,
            PeopleDataLabsProvider.ProviderHttpClientName,
            PeopleDataLabsProvider.PipelineName,
            PeopleDataLabsProvider.ApiKeyHeader,
            PeopleDataLabsProvider.IsTransientResponse);
        services.AddHttpProvider<HunterOptions, HunterProvider>(
            configuration,
            HunterOptions.SectionName,
            HunterProvider.ProviderName,
            HunterProvider.ProviderHttpClientName,
            HunterProvider.PipelineName,
            HunterProvider.ApiKeyHeader,
            HunterProvider.IsTransientResponse);
        return services;
    }

    private static void AddDirectoryProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DirectoryProviderOptions>()
            .Bind(configuration.GetSection(DirectoryProviderOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(provider => new DirectoryStore(
            provider.GetRequiredService<IOptionsMonitor<DirectoryProviderOptions>>(),
            provider.GetRequiredService<ContactNormalizer>(),
            provider.GetRequiredService<ILogger<DirectoryStore>>(),
            provider.GetService<IHostEnvironment>()?.ContentRootPath));
        services.AddContactProvider<DirectoryProvider>(DirectoryProvider.ProviderName);
    }

    private static void AddHttpProvider<TOptions, TProvider>(
        this IServiceCollection services,
        IConfiguration configuration,
        string sectionName,
        string providerName,
        string clientName,
        string pipelineName,
        string apiKeyHeader,
        Func<HttpResponseMessage, bool> isTransientResponse)
        where TOptions : HttpProviderOptions
        where TProvider : class, IContactProvider
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(sectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHttpClient(clientName, (provider, client) =>
            {
                client.BaseAddress = provider.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue.BaseAddressWithTrailingSlash();

                // The resilience pipeline bounds every call; HttpClient's own 100 s limit would
                // cut across it with a TaskCanceledException.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RedactLoggedHeaders([apiKeyHeader, "Authorization"])
            .AddResilienceHandler(pipelineName, (builder, context) =>
            {
                // NOTE: the pipeline is built once, so changed Resilience settings apply after a restart.
                var services = context.ServiceProvider;
                HttpProviderPipeline.Configure(
                    builder,
                    clientName,
                    services.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue.Resilience,
                    isTransientResponse,
                    services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpProviderPipeline).FullName!));
            });

        // Added after the resilience handler, so it runs inside each attempt.
        services.AddHttpClient(clientName).AddHttpMessageHandler(() => new ResponseBufferingHandler());
        services.AddContactProvider<TProvider>(providerName);
    }

    /// <summary>Registers a provider under <paramref name="name"/>, the name used in <c>Providers:Order</c>.</summary>
    internal static IServiceCollection AddContactProvider<TProvider>(this IServiceCollection services, string name)
        where TProvider : class, IContactProvider
    {
        services.AddSingleton<IContactProvider, TProvider>();
        services.AddSingleton(new ContactProviderRegistration(name));
        return services;
    }

    /// <summary>Registers a provider instance under its <see cref="IContactProvider.Name"/>.</summary>
    internal static IServiceCollection AddContactProvider(this IServiceCollection services, IContactProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        services.AddSingleton(provider);
        services.AddSingleton(new ContactProviderRegistration(provider.Name));
        return services;
    }
}
