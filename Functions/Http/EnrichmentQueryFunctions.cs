using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;

namespace ContactEnrichment.Functions.Http;

/// <summary>Routes that callers poll for enrichment records.</summary>
public sealed class EnrichmentQueryFunctions(ApiRequestRunner runner, EnrichmentRepository enrichments)
{
    [Function("GetEnrichment")]
    public Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/operations/enrichment/{personId}")] HttpRequest request,
        string personId,
        CancellationToken cancellationToken) =>
        runner.RunAsync(request, async caller =>
        {
            var (id, field) = RouteInput.PersonAndField(request, personId);
            var record = await enrichments.FindLatestAsync(caller.OrgId, field, id, cancellationToken)
                ?? throw ApiProblemException.NotFound($"Person {id} has no {field.ToWireName()} enrichment.");
            return new JsonApiResult(record.ToRecord());
        });

    [Function("QueryEnrichments")]
    public Task<IActionResult> QueryAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/operations/enrichment/batch/query")] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunWithBodyAsync(request, async (caller, body) =>
        {
            var tasks = QueryRequestParser.Parse(body);
            var records = new List<EnrichmentRecord>();
            foreach (var group in tasks.GroupBy(task => task.Field))
            {
                var personIds = group.Select(task => task.PersonId).ToList();
                var latest = await enrichments.FindLatestAsync(caller.OrgId, group.Key, personIds, cancellationToken);
                records.AddRange(personIds.Where(latest.ContainsKey).Select(id => latest[id].ToRecord()));
            }

            var order = tasks.Select((task, index) => (task, index)).ToDictionary(pair => (pair.task.PersonId, pair.task.Field), pair => pair.index);
            return new JsonApiResult(records.OrderBy(record => order[(record.EntityId, record.Field)]).ToList());
        });
}
