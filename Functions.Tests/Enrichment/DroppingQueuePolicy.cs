using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>
/// A queue pipeline policy, registered in DI, that loses the app's sends to the request queue
/// while <see cref="Dropping"/> is set, as if the queue service were unreachable.
/// </summary>
internal sealed class DroppingQueuePolicy : HttpPipelinePolicy
{
    private int dropped;
    private int sent;

    public bool Dropping { get; set; } = true;

    public int Dropped => Volatile.Read(ref dropped);

    public int Sent => Volatile.Read(ref sent);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        var isSend = message.Request.Method == RequestMethod.Post &&
            message.Request.Uri.Path.EndsWith($"/{StorageLayout.RequestQueue}/messages", StringComparison.Ordinal);
        if (isSend && Dropping)
        {
            Interlocked.Increment(ref dropped);
            throw new RequestFailedException(503, "The test dropped this queue message.");
        }

        await ProcessNextAsync(message, pipeline);
        if (isSend && message.Response.Status == 201)
        {
            Interlocked.Increment(ref sent);
        }
    }
}
