using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Azure.Cosmos;

namespace ContactEnrichment.Core.Storage;

/// <summary>
/// Counts the requests the app sends to Cosmos DB and to the queue service, through the SDKs'
/// own request pipelines, so that benchmarks and tests report measured numbers.
/// </summary>
public sealed class StorageRequestCounter
{
    private long cosmosRequests;
    private long queueRequests;

    public long CosmosRequests => Interlocked.Read(ref cosmosRequests);

    public long QueueRequests => Interlocked.Read(ref queueRequests);

    public void Reset()
    {
        Interlocked.Exchange(ref cosmosRequests, 0);
        Interlocked.Exchange(ref queueRequests, 0);
    }

    internal RequestHandler CreateCosmosHandler() => new CosmosCountingHandler(this);

    internal HttpPipelinePolicy CreateQueuePolicy() => new QueueCountingPolicy(this);

    private sealed class CosmosCountingHandler(StorageRequestCounter counter) : RequestHandler
    {
        public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref counter.cosmosRequests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class QueueCountingPolicy(StorageRequestCounter counter) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref counter.queueRequests);
        }
    }
}
