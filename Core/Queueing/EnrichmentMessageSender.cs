using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Core.Queueing;

/// <summary>Sends one message per enrichment record to the request queue.</summary>
public sealed class EnrichmentMessageSender(QueueClientFactory factory)
{
    public Task SendAsync(EnrichmentMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return factory.GetQueue(StorageLayout.RequestQueue).SendMessageAsync(message.ToJson(), cancellationToken);
    }
}
