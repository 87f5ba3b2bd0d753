using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Health;
using ContactEnrichment.Core.Hosting;
using ContactEnrichment.Functions.Http;

namespace ContactEnrichment.Functions;

public static class FunctionsRegistration
{
    /// <summary>
    /// Registers the app's services and the functions' shared HTTP helpers. Functions/Program.cs,
    /// DevHost and the tests all call this one method.
    /// </summary>
    public static IServiceCollection AddContactEnrichmentFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddContactEnrichment(configuration);
        services.AddSingleton<ApiRequestRunner>();
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DependencyHealthProbe>();
        return services;
    }
}
