using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Health;

namespace ContactEnrichment.Functions.Http;

/// <summary>The body of a 200 response, in which every dependency is <c>healthy</c>.</summary>
public sealed record HealthBody(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>The problem document of a 503 response, with the state of every dependency.</summary>
public sealed record HealthProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    IReadOnlyDictionary<string, string> Checks);

/// <summary>
/// <c>GET /api/health</c> for load balancers and the deployment's smoke check. Anonymous, so it
/// reports only dependency names and states: no settings, endpoints or error messages.
/// </summary>
public sealed class HealthFunctions(DependencyHealthProbe probe)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    [Function("GetHealth")]
    public async Task<IActionResult> GetHealthAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var report = await probe.CheckAsync(cancellationToken);
        var checks = report.Checks.ToDictionary(check => check.Name, check => check.Healthy ? Healthy : Unhealthy);
        if (report.Healthy)
        {
            return new JsonApiResult(new HealthBody(Healthy, checks));
        }

        var failing = report.Checks.Where(check => !check.Healthy).Select(check => check.Name);
        return new JsonApiResult(
            new HealthProblemBody(
                Problems.TypeOf(ProblemCodes.DependencyUnavailable),
                "Dependency unavailable.",
                StatusCodes.Status503ServiceUnavailable,
                $"The app cannot reach: {string.Join(", ", failing)}.",
                ProblemCodes.DependencyUnavailable,
                checks),
            StatusCodes.Status503ServiceUnavailable,
            Problems.ContentType);
    }
}
