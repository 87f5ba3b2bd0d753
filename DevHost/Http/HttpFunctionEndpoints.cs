using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.DevHost.Invocation;

namespace ContactEnrichment.DevHost.Http;

/// <summary>
/// Maps each HTTP-triggered function to an endpoint: the host.json route prefix plus the
/// function's route (its name when it declares none), for its declared methods. Endpoint
/// routing returns 404 for an unknown path and 405 for a known path with another method.
/// </summary>
internal static class HttpFunctionEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, IEnumerable<BoundFunction> functions, string routePrefix, ILogger logger)
    {
        var invoker = endpoints.ServiceProvider.GetRequiredService<FunctionInvoker>();
        foreach (var function in functions)
        {
            if (function.Descriptor.Trigger is not HttpTriggerBinding http)
            {
                continue;
            }

            var route = CombineRoute(routePrefix, http.Route ?? function.Name);
            var methods = http.Methods is { Count: > 0 } ? http.Methods.Select(m => m.ToUpperInvariant()).ToArray() : null;
            var endpoint = methods is null
                ? endpoints.Map(route, context => invoker.InvokeHttpAsync(function, context))
                : endpoints.MapMethods(route, methods, context => invoker.InvokeHttpAsync(function, context));
            endpoint.WithDisplayName(function.Name);
            Log.HttpRouteMapped(logger, methods is null ? "*" : string.Join(",", methods), route, function.Name);
        }
    }

    public static string CombineRoute(string routePrefix, string route)
    {
        var prefix = routePrefix.Trim('/');
        var path = route.Trim('/');
        if (prefix.Length == 0)
        {
            return path;
        }

        return path.Length == 0 ? prefix : $"{prefix}/{path}";
    }
}
