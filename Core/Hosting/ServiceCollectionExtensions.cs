using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactEnrichment.Core.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers everything the functions need. Every host calls this one method: the Functions
    /// worker, DevHost and the tests, so that they run the same services.
    /// </summary>
    public static IServiceCollection AddContactEnrichment(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
