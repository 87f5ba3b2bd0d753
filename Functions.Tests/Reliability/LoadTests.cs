using System.Collections.Concurrent;
using System.Diagnostics;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ContactEnrichment.Functions.Tests.Reliability;

[Collection(LocalStackDefinition.Name)]
public sealed class LoadTests(LocalStackFixture stack, ITestOutputHelper output)
{
    private const int Clients = 16;

    [Fact]
    public async Task BatchLoad_SixteenClients_InvariantsHold()
    {
        var (requests, persons, maxBatch) = ReliabilityRun.Full ? (1_000, 10_000, 100) : (40, 300, 40);
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            EnableQueueListeners = true,
            EnableTimers = true,
            // No message is lost in this test, so requeue and run time keep their defaults: with
            // a backlog of thousands, short ones would requeue or time out records still queued.
            Settings = new Dictionary<string, string?>
            {
                ["SweepSchedule"] = "*/2 * * * * *",
                ["Enrichment__OrphanReservationTimeout"] = "00:05:00",
            },
        });
        var context = new ApiTestContext(stack, app);

        // Credits for about half of what the requests ask, so that some requests meet 402.
        var pool = await ReliabilityRun.SeedPersonsAsync(context, persons, credits: persons * 3L, seed: 1);
        var batches = ReliabilityRun.RandomBatches(pool, requests, maxBatch, seed: 2);
        var statuses = new ConcurrentDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (batch, _) =>
        {
            using var response = await context.StartBatchAsync(batch.PersonIds, batch.Field);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, count) => count + 1);
        });
        var requestSeconds = watch.Elapsed.TotalSeconds;

        await ReliabilityRun.WaitUntilSettledAsync(app.Services, context.OrgId, TimeSpan.FromMinutes(ReliabilityRun.Full ? 20 : 3));
        var state = await InvariantChecker.ReadAsync(app.Services, context.OrgId);
        var violations = InvariantChecker.Violations(
            state, context.Service<IOptions<EnrichmentOptions>>().Value.FreshnessWindow, context.Service<TimeProvider>().GetUtcNow());

        var figures = $"{requests} requests over {persons} persons from {Clients} clients in {requestSeconds:F1} s, " +
            $"settled after {watch.Elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; " +
            $"{state.Records.Count} records ({state.Records.Count(r => r.DataFound == true)} with data; " +
            string.Join(", ", state.Records.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")) + $"), {state.Ledger.Count} ledger entries, " +
            $"balance {state.Account?.Balance}, reserved {state.Account?.Reserved}; {violations.Count} invariant violations";
        output.WriteLine(figures);
        ReliabilityRun.Report(nameof(LoadTests), figures);
        Assert.DoesNotContain(statuses.Keys, status => status >= 500);
        Assert.Contains(200, statuses.Keys);
        Assert.Empty(violations);
    }
}
