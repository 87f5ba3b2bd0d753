using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ContactEnrichment.DevHost.Configuration;
using ContactEnrichment.DevHost.Invocation;

namespace ContactEnrichment.DevHost.Queues;

/// <summary>
/// Runs one queue-triggered function with the Storage Queues extension's semantics: receive a
/// batch, run its messages in parallel, receive the next batch once no more than
/// newBatchThreshold are running, back off while the queue is empty, release a failed message
/// after visibilityTimeout, and after maxDequeueCount failed deliveries copy it to
/// <c>&lt;queue&gt;-poison</c> and delete it.
/// </summary>
internal sealed class QueueTriggerListener(
    BoundFunction function,
    QueueServiceClient service,
    string queueName,
    QueueHostSettings settings,
    FunctionInvoker invoker,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private readonly QueueClient queue = service.GetQueueClient(queueName);
    private readonly QueueClient poisonQueue = service.GetQueueClient(queueName + "-poison");
    private bool queueMissingLogged;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.QueueListenerStarted(logger, function.Name, queueName, settings.BatchSize, settings.NewBatchThreshold,
            settings.MaxDequeueCount, settings.MessageEncoding.ToString());
        var running = new List<Task>();
        var backoff = new PollingBackoff(settings.MaxPollingInterval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                running.RemoveAll(task => task.IsCompleted);
                if (running.Count > settings.NewBatchThreshold)
                {
                    await Task.WhenAny(running);
                    continue;
                }

                var messages = await ReceiveAsync(stoppingToken);
                if (messages.Length == 0)
                {
                    await Task.Delay(backoff.Next(), stoppingToken);
                    continue;
                }

                backoff.Reset();
                running.AddRange(messages.Select(message => ProcessAsync(message, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The functions saw the cancellation; let them settle their messages before the host stops.
        await Task.WhenAll(running);
    }

    private async Task<QueueMessage[]> ReceiveAsync(CancellationToken stoppingToken)
    {
        try
        {
            var response = await queue.ReceiveMessagesAsync(settings.BatchSize, settings.MessageLease, stoppingToken);
            queueMissingLogged = false;
            return response.Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            if (!queueMissingLogged)
            {
                Log.QueueNotFound(logger, queueName, function.Name);
                queueMissingLogged = true;
            }

            return [];
        }
        catch (Exception exception) when (exception is RequestFailedException or AggregateException or HttpRequestException)
        {
            // Azure.Core raises AggregateException when every retry of a request failed to connect.
            Log.QueueReceiveFailed(logger, exception, queueName);
            return [];
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        // A message delivered more often than allowed (the previous run crashed) is not run again.
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            if (await MoveToPoisonAsync(message, message.PopReceipt))
            {
                Log.MessageMovedToPoison(logger, message.MessageId, queueName, poisonQueue.Name, message.DequeueCount);
            }

            return;
        }

        // The extension moves a message it cannot decode to the poison queue at once, without retries.
        if (!TryDecode(message.MessageText, out var body))
        {
            if (await MoveToPoisonAsync(message, message.PopReceipt))
            {
                Log.InvalidMessageMovedToPoison(logger, message.MessageId, queueName, poisonQueue.Name, function.Name);
            }

            return;
        }

        bool succeeded;
        string popReceipt;
        var lease = new MessageLease(queue, message.MessageId, message.PopReceipt, settings.MessageLease, logger);
        try
        {
            succeeded = await invoker.InvokeQueueAsync(function, body, stoppingToken);
        }
        finally
        {
            await lease.DisposeAsync();
            popReceipt = lease.PopReceipt;
        }

        if (succeeded)
        {
            await CompleteAsync(message, "delete", () => queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None));
        }
        else if (stoppingToken.IsCancellationRequested)
        {
            // Stopping DevHost is not the message's fault: make it visible again, never poison it.
            await ReleaseAsync(message, popReceipt, TimeSpan.Zero);
        }
        else if (message.DequeueCount >= settings.MaxDequeueCount)
        {
            if (await MoveToPoisonAsync(message, popReceipt))
            {
                Log.MessageMovedToPoison(logger, message.MessageId, queueName, poisonQueue.Name, message.DequeueCount);
            }
        }
        else
        {
            await ReleaseAsync(message, popReceipt, settings.VisibilityTimeout);
        }
    }

    private Task<bool> ReleaseAsync(QueueMessage message, string popReceipt, TimeSpan visibilityTimeout) =>
        CompleteAsync(message, "release", () =>
            queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: CancellationToken.None));

    private bool TryDecode(string text, out string body)
    {
        if (settings.MessageEncoding == MessageEncoding.None)
        {
            body = text;
            return true;
        }

        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var length))
        {
            body = Encoding.UTF8.GetString(buffer, 0, length);
            return true;
        }

        body = "";
        return false;
    }

    /// <summary>Copies the message's raw text (still encoded) to the poison queue, creating it if needed, then deletes the original.</summary>
    private Task<bool> MoveToPoisonAsync(QueueMessage message, string popReceipt) =>
        CompleteAsync(message, "move to poison", async () =>
        {
            await poisonQueue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            await poisonQueue.SendMessageAsync(message.MessageText, CancellationToken.None);
            await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
        });

    private async Task<bool> CompleteAsync(QueueMessage message, string action, Func<Task> operation)
    {
        try
        {
            await operation();
            return true;
        }
        catch (Exception exception) when (exception is RequestFailedException or AggregateException or HttpRequestException)
        {
            Log.MessageCompletionFailed(logger, exception, message.MessageId, queueName, action);
            return false;
        }
    }
}
