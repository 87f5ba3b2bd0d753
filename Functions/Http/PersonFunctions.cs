using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Persons;

namespace ContactEnrichment.Functions.Http;

/// <summary>Routes that create, update and read the caller's persons.</summary>
public sealed class PersonFunctions(ApiRequestRunner runner, PersonImporter importer, PersonRepository persons)
{
    /// <summary>Maximum body of a person import (1 MiB), enough for 1,000 persons with every member.</summary>
    public const int MaxImportBytes = 1024 * 1024;

    [Function("UpsertPersons")]
    public Task<IActionResult> UpsertAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/entities/persons")] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunWithBodyAsync(request, async (caller, body) =>
        {
            var inputs = PersonInputParser.Parse(body);
            var result = await importer.ImportAsync(caller.OrgId, inputs, cancellationToken);
            return new JsonApiResult(result);
        }, MaxImportBytes);

    [Function("GetPerson")]
    public Task<IActionResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/entities/persons/{personId}")] HttpRequest request,
        string personId,
        CancellationToken cancellationToken) =>
        runner.RunAsync(request, async caller =>
        {
            var id = RouteInput.PersonId(personId);
            var person = await persons.FindAsync(caller.OrgId, id, cancellationToken)
                ?? throw ApiProblemException.NotFound($"No person {id} exists in your organization.");
            return new JsonApiResult(PersonView.From(person));
        });
}
