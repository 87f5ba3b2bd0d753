using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ContactEnrichment.Core.Credits;

namespace ContactEnrichment.Functions.Http;

/// <summary>Routes that report an organization's credits.</summary>
public sealed class CreditFunctions(ApiRequestRunner runner, CreditService credits)
{
    [Function("GetCreditBalance")]
    public Task<IActionResult> GetBalanceAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/operations/credits/balance")] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(request, async caller =>
            new JsonApiResult(await credits.GetBalanceAsync(caller.OrgId, cancellationToken)));
}
