using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ContactEnrichment.Core.Enrichment;

namespace ContactEnrichment.Functions.Http;

/// <summary>Routes that start enrichments.</summary>
public sealed class EnrichmentFunctions(ApiRequestRunner runner, EnrichmentStarter starter)
{
    [Function("StartEnrichmentBatch")]
    public Task<IActionResult> StartBatchAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/operations/enrichment/batch")] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunWithBodyAsync(request, async (caller, body) =>
        {
            var batch = BatchRequestParser.Parse(body);
            if (batch.DryRun)
            {
                var plan = await starter.DryRunAsync(caller, batch.PersonIds, batch.Field, cancellationToken);
                return new JsonApiResult(DryRunResponse.From(plan));
            }

            var records = await starter.StartAsync(caller, batch.PersonIds, batch.Field, cancellationToken);
            return new JsonApiResult(records);
        });
}
