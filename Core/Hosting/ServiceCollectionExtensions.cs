using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Organizations;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Core.Telemetry;

namespace ContactEnrichment.Core.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the domain services, storage clients and options. Every host calls this through
    /// the Functions project's registration: the Functions worker, DevHost and the tests.
    /// </summary>
    public static IServiceCollection AddContactEnrichment(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<CosmosOptions>().Bind(configuration.GetSection(CosmosOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EnrichmentOptions>().Bind(configuration.GetSection(EnrichmentOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(options => options.RequeueAfter < options.MaxRunTime, "Enrichment:RequeueAfter must be shorter than Enrichment:MaxRunTime.")
            .ValidateOnStart();

        services.AddMetrics();
        services.AddSingleton<EnrichmentMetrics>();
        services.AddSingleton<StorageRequestCounter>();
        services.AddSingleton<CosmosStore>();
        services.AddSingleton<TransientStorageRetry>();
        services.AddSingleton<QueueClientFactory>();
        services.AddSingleton<EnrichmentMessageSender>();
        services.AddSingleton<StorageInitializer>();
        services.AddSingleton<DemoSeeder>();

        services.AddSingleton<BearerTokenValidator>();
        services.AddSingleton<OrganizationRegistry>();
        services.AddSingleton<PersonRepository>();
        services.AddSingleton<PersonImporter>();
        services.AddSingleton<EnrichmentRepository>();
        services.AddSingleton<CreditService>();
        services.AddSingleton<EnrichmentStarter>();
        services.AddSingleton<GlobalResultRepository>();
        services.AddSingleton<EnrichmentSettlement>();
        services.AddSingleton<EnrichmentProcessor>();
        services.AddSingleton<EnrichmentSweeper>();
        services.AddContactProviders(configuration);
        return services;
    }
}
