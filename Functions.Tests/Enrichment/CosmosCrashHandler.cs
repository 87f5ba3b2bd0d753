using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>One Cosmos DB request as the crash handler sees it.</summary>
/// <param name="Method">HTTP method: GET read, POST create or query, PUT replace, PATCH patch.</param>
/// <param name="Container">The container name, such as <c>enrichments</c>.</param>
/// <param name="DocumentId">The document id for reads, replaces and patches; null for creates and queries.</param>
/// <param name="IsQuery">True for a query (a POST to the documents feed that is not a create).</param>
internal sealed record CosmosRequest(string Method, string Container, string? DocumentId, bool IsQuery)
{
    public bool IsCreate => Method == "POST" && !IsQuery && DocumentId is null;

    public bool IsReplace(string container, string id) => Method == "PUT" && Container == container && DocumentId == id;

    public bool IsPatch(string container, string id) => Method == "PATCH" && Container == container && DocumentId == id;

    public override string ToString() => $"{Method} {Container}/{DocumentId}{(IsQuery ? " (query)" : "")}";

    public static CosmosRequest From(RequestMessage request)
    {
        // For example dbs/enrichment/colls/credits/docs/account-org_1.
        var segments = (request.RequestUri?.OriginalString ?? "").Trim('/').Split('/');
        var container = IndexAfter(segments, "colls");
        var document = IndexAfter(segments, "docs");
        var isQuery = request.Method == HttpMethod.Post &&
            (request.Headers["x-ms-documentdb-isquery"] is not null ||
             request.Headers["x-ms-cosmos-is-query-plan-request"] is not null ||
             (request.Headers.ContentType?.Contains("query", StringComparison.OrdinalIgnoreCase) ?? false));
        return new CosmosRequest(request.Method.Method, container ?? "", document is null ? null : Uri.UnescapeDataString(document), isQuery);
    }

    private static string? IndexAfter(string[] segments, string name)
    {
        var index = Array.IndexOf(segments, name);
        return index >= 0 && index + 1 < segments.Length ? segments[index + 1] : null;
    }
}

/// <summary>Thrown by <see cref="CosmosCrashHandler"/> where the process would have died.</summary>
internal sealed class SimulatedCrashException(string message) : Exception(message);

/// <summary>
/// A Cosmos DB request handler, registered in DI, that simulates a crash: on the Nth request
/// matching a rule it throws, either before the request is sent or after it was applied.
/// </summary>
internal sealed class CosmosCrashHandler : RequestHandler
{
    private readonly Lock gate = new();
    private Func<CosmosRequest, bool>? match;
    private int remaining;
    private bool afterResponse;

    /// <summary>Every request seen, in order, for failure messages.</summary>
    public ConcurrentQueue<CosmosRequest> Seen { get; } = new();

    public int Crashes { get; private set; }

    /// <summary>Lets the <paramref name="nth"/> matching request reach the database, then throws.</summary>
    public void CrashAfter(Func<CosmosRequest, bool> rule, int nth = 1) => Arm(rule, nth, after: true);

    /// <summary>Throws instead of sending the <paramref name="nth"/> matching request.</summary>
    public void CrashBefore(Func<CosmosRequest, bool> rule, int nth = 1) => Arm(rule, nth, after: false);

    /// <summary>Throws on every matching request until <see cref="Disarm"/>.</summary>
    public void FailAlways(Func<CosmosRequest, bool> rule) => Arm(rule, int.MaxValue, after: false, always: true);

    public void Disarm()
    {
        lock (gate)
        {
            match = null;
        }
    }

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var described = CosmosRequest.From(request);
        Seen.Enqueue(described);
        var crash = false;
        bool after;
        lock (gate)
        {
            after = afterResponse;
            if (match is not null && match(described))
            {
                if (remaining == int.MaxValue)
                {
                    crash = true;
                }
                else if (--remaining == 0)
                {
                    crash = true;
                    match = null;
                }
            }

            Crashes += crash ? 1 : 0;
        }

        if (crash && !after)
        {
            throw new SimulatedCrashException($"Simulated crash before {described}.");
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (crash)
        {
            throw new SimulatedCrashException($"Simulated crash after {described} answered {(int)response.StatusCode}.");
        }

        return response;
    }

    private void Arm(Func<CosmosRequest, bool> rule, int nth, bool after, bool always = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nth);
        lock (gate)
        {
            match = rule;
            remaining = always ? int.MaxValue : nth;
            afterResponse = after;
        }
    }
}
