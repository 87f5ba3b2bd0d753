using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>
/// Counts the Cosmos DB writes and the queue messages an app sends, through the request
/// pipelines the app builds from DI, so a test can prove that a request changed nothing.
/// </summary>
internal sealed class StorageWriteRecorder
{
    private long cosmosWrites;
    private long queueSends;

    public long CosmosWrites => Interlocked.Read(ref cosmosWrites);

    public long QueueSends => Interlocked.Read(ref queueSends);

    /// <summary>Adds the recorder's Cosmos DB handler and queue policy to an app's services.</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<RequestHandler>(new CosmosWriteHandler(this));
        services.AddSingleton<HttpPipelinePolicy>(new QueueSendPolicy(this));
    }

    public void Reset()
    {
        Interlocked.Exchange(ref cosmosWrites, 0);
        Interlocked.Exchange(ref queueSends, 0);
    }

    private sealed class CosmosWriteHandler(StorageWriteRecorder recorder) : RequestHandler
    {
        public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            if (IsWrite(request))
            {
                Interlocked.Increment(ref recorder.cosmosWrites);
            }

            return base.SendAsync(request, cancellationToken);
        }

        // Queries are POSTs too; the SDK marks them with the x-ms-documentdb-isquery header.
        private static bool IsWrite(RequestMessage request) =>
            request.Method == HttpMethod.Put || request.Method == HttpMethod.Patch || request.Method == HttpMethod.Delete ||
            (request.Method == HttpMethod.Post && request.Headers["x-ms-documentdb-isquery"] is null);
    }

    private sealed class QueueSendPolicy(StorageWriteRecorder recorder) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Post &&
                message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref recorder.queueSends);
            }
        }
    }
}
