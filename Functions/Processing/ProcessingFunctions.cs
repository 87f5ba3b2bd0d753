using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Functions.Processing;

/// <summary>The queue- and timer-triggered half of the app.</summary>
public sealed partial class ProcessingFunctions(
    EnrichmentProcessor processor,
    EnrichmentSweeper sweeper,
    ILogger<ProcessingFunctions> logger)
{
    /// <summary>The host's <c>maxDequeueCount</c>, quoted in the error of a poisoned record.</summary>
    private const int MaxDequeueCount = 5;

    [Function("ProcessEnrichment")]
    public async Task ProcessAsync(
        [QueueTrigger(StorageLayout.RequestQueue)] string message,
        CancellationToken cancellationToken)
    {
        // Throwing lets the host retry the message and, after maxDequeueCount tries, move it to the
        // poison queue, where an operator can read it.
        var parsed = EnrichmentMessage.TryParse(message)
            ?? throw new FormatException("The queue message is not a JSON object with enrichmentId and orgId.");
        await processor.ProcessAsync(parsed, cancellationToken);
    }

    [Function("FailPoisonedEnrichment")]
    public async Task FailPoisonedAsync(
        [QueueTrigger(StorageLayout.PoisonQueue)] string message,
        CancellationToken cancellationToken)
    {
        var parsed = EnrichmentMessage.TryParse(message);
        if (parsed is null)
        {
            // It names no record, so there is nothing to fail; throwing keeps it in the next
            // poison queue for an operator instead of deleting it.
            Log.UnreadablePoisonMessage(logger);
            throw new FormatException("The poisoned message names no enrichment record.");
        }

        await processor.FailPoisonedAsync(parsed, MaxDequeueCount, cancellationToken);
    }

    [Function("SweepEnrichments")]
    public Task SweepAsync(
        [TimerTrigger("%SweepSchedule%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(7001, LogLevel.Warning, "A poisoned message is not a valid enrichment message; it is left for an operator")]
        public static partial void UnreadablePoisonMessage(ILogger logger);
    }
}
