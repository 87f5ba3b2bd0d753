using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Persons;

namespace ContactEnrichment.Functions.Http;

/// <summary>Routes that start or cancel the enrichment of one person.</summary>
public sealed class EnrichmentCommandFunctions(
    ApiRequestRunner runner,
    EnrichmentStarter starter,
    EnrichmentRepository enrichments,
    EnrichmentSettlement settlement,
    PersonRepository persons)
{
    [Function("StartEnrichment")]
    public Task<IActionResult> StartAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/operations/enrichment/{personId}")] HttpRequest request,
        string personId,
        CancellationToken cancellationToken) =>
        runner.RunWithBodyAsync(request, async (caller, body) =>
        {
            var (id, field, dryRun) = ParseSingle(body, personId);

            // On this single-item route an unknown person is a 404, not the batch's 400 that
            // names a personIds member the caller never sent.
            var known = await persons.FindExistingIdsAsync(caller.OrgId, [id], cancellationToken);
            if (!known.Contains(id))
            {
                throw ApiProblemException.NotFound($"No person {id} exists in your organization.");
            }

            if (dryRun)
            {
                var plan = await starter.DryRunAsync(caller, [id], field, cancellationToken);
                return new JsonApiResult(DryRunResponse.From(plan));
            }

            var records = await starter.StartAsync(caller, [id], field, cancellationToken);
            return new JsonApiResult(records[0]);
        });

    [Function("CancelEnrichment")]
    public Task<IActionResult> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/operations/enrichment/{personId}/cancel")] HttpRequest request,
        string personId,
        CancellationToken cancellationToken) =>
        runner.RunAsync(request, async caller =>
        {
            var (id, field) = RouteInput.PersonAndField(request, personId);
            var record = await enrichments.FindLatestAsync(caller.OrgId, field, id, cancellationToken)
                ?? throw ApiProblemException.NotFound($"Person {id} has no {field.ToWireName()} enrichment to cancel.");

            var cancelled = await settlement.AbandonAsync(record, EnrichmentStatus.Cancelled, null, cancellationToken);
            if (cancelled is null)
            {
                var status = (await enrichments.FindAsync(caller.OrgId, record.Id, cancellationToken))?.Status ?? record.Status;
                throw ApiProblemException.Conflict(
                    $"Enrichment {record.Id} is {status.ToWireName()} or already completing; only a pending enrichment can be cancelled.");
            }

            return new JsonApiResult(cancelled.ToRecord());
        });

    private static (string PersonId, EnrichmentField Field, bool DryRun) ParseSingle(JsonElement body, string personId)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiProblemException.Validation("body", $"The body must be a JSON object, not {BatchRequestParser.Describe(body.ValueKind)}.");
        }

        var errors = new Dictionary<string, string[]>();
        var id = Identifiers.TryNormalizeUuid(personId);
        if (id is null)
        {
            errors["personId"] = [$"'{personId}' {Identifiers.UuidRule}."];
        }

        var field = BatchRequestParser.ReadField(body, errors);
        var dryRun = BatchRequestParser.ReadDryRun(body, errors);
        if (errors.Count > 0)
        {
            throw ApiProblemException.Validation(errors);
        }

        return (id!, field, dryRun);
    }
}
