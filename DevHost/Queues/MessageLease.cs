using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace ContactEnrichment.DevHost.Queues;

/// <summary>
/// Keeps a received message invisible while its function runs: every half lease it extends
/// the visibility by one lease and keeps the new pop receipt, which delete and release need.
/// </summary>
internal sealed class MessageLease : IAsyncDisposable
{
    private readonly QueueClient queue;
    private readonly string messageId;
    private readonly TimeSpan lease;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewal;

    public MessageLease(QueueClient queue, string messageId, string popReceipt, TimeSpan lease, ILogger logger)
    {
        this.queue = queue;
        this.messageId = messageId;
        this.lease = lease;
        this.logger = logger;
        PopReceipt = popReceipt;
        renewal = RenewAsync();
    }

    /// <summary>The pop receipt of the latest visibility update; read it only after <see cref="DisposeAsync"/>.</summary>
    public string PopReceipt { get; private set; }

    /// <summary>Stops renewing and waits for a renewal in flight, so that <see cref="PopReceipt"/> is final.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewal;
        stop.Dispose();
    }

    private async Task RenewAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease / 2, stop.Token);

                // No cancellation here: an update that reached the server must also return its receipt.
                var receipt = await queue.UpdateMessageAsync(messageId, PopReceipt, visibilityTimeout: lease, cancellationToken: CancellationToken.None);
                PopReceipt = receipt.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RequestFailedException exception)
        {
            Log.LeaseRenewalFailed(logger, exception, messageId, queue.Name);
        }
    }
}
