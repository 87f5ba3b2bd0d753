using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Azure.Cosmos;

namespace ContactEnrichment.Functions.Tests.Reliability;

/// <summary>
/// Fails a share of Cosmos DB requests with 429 or 503, with <c>x-ms-retry-after-ms</c> set,
/// before they reach the server. Throttling or a brief outage of the service looks the same.
/// </summary>
internal sealed class CosmosFaultHandler(double share, int seed) : RequestHandler
{
    private readonly Random random = new(seed);
    private long throttled;
    private long unavailable;

    /// <summary>Off until the test turns it on, so that storage set-up runs without faults.</summary>
    public bool Enabled { get; set; }

    public long Throttled => Interlocked.Read(ref throttled);

    public long Unavailable => Interlocked.Read(ref unavailable);

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        double roll;
        lock (random)
        {
            roll = random.NextDouble();
        }

        if (!Enabled || roll >= share)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var status = roll < share / 2 ? HttpStatusCode.TooManyRequests : HttpStatusCode.ServiceUnavailable;
        Interlocked.Increment(ref status == HttpStatusCode.TooManyRequests ? ref throttled : ref unavailable);
        // With an error message the SDK would build its exception before the header below is
        // set, and CosmosException.RetryAfter would stay empty (Microsoft.Azure.Cosmos 3.64.0).
        var response = new ResponseMessage(status, request, errorMessage: null);
        response.Headers["x-ms-retry-after-ms"] = "5";
        return Task.FromResult(response);
    }
}

/// <summary>Fails a share of queue requests with 500 before they are sent.</summary>
internal sealed class QueueFaultPolicy(double share, int seed) : HttpPipelinePolicy
{
    private readonly Random random = new(seed);
    private long failed;

    public bool Enabled { get; set; }

    public long Failed => Interlocked.Read(ref failed);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (ShouldFail(message))
        {
            throw new RequestFailedException(500, "injected queue fault");
        }

        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (ShouldFail(message))
        {
            throw new RequestFailedException(500, "injected queue fault");
        }

        return ProcessNextAsync(message, pipeline);
    }

    private bool ShouldFail(HttpMessage message)
    {
        if (!Enabled || message.Request.Method != RequestMethod.Post)
        {
            return false;
        }

        lock (random)
        {
            if (random.NextDouble() >= share)
            {
                return false;
            }
        }

        Interlocked.Increment(ref failed);
        return true;
    }
}
