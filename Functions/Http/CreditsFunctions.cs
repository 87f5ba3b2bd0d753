using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ContactEnrichment.Functions.Http;

public sealed class CreditsFunctions(TimeProvider timeProvider)
{
    [Function("GetCreditBalance")]
    public Task<IActionResult> GetBalanceAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/operations/credits/balance")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult<IActionResult>(new OkObjectResult(new { organizationId = "", at = timeProvider.GetUtcNow() }));
    }
}
