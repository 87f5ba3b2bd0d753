using System.Collections.Concurrent;
using Azure.Core.Pipeline;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Reliability;

[Collection(LocalStackDefinition.Name)]
public sealed class FaultTests(LocalStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task InjectedFaults_AfterRecovery_InvariantsHold()
    {
        var (requests, persons) = ReliabilityRun.Full ? (300, 2_000) : (24, 200);
        var cosmosFaults = new CosmosFaultHandler(share: 0.05, seed: 11);
        var queueFaults = new QueueFaultPolicy(share: 0.2, seed: 12);
        var provider = new FlakyProvider(failShare: 0.2, throwShare: 0.1, seed: 13);
        var settings = ReliabilityRun.FastSweeps(TimeSpan.FromSeconds(20));
        settings["Providers__Order__emails__0"] = FlakyProvider.ProviderName;
        settings["Providers__Order__emails__1"] = "directory";
        settings["Providers__Order__phones__0"] = FlakyProvider.ProviderName;
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            EnableQueueListeners = true,
            EnableTimers = true,
            Settings = settings,
            ConfigureServices = services =>
            {
                services.AddSingleton<RequestHandler>(cosmosFaults);
                services.AddSingleton<HttpPipelinePolicy>(queueFaults);
                services.AddContactProvider(provider);
            },
        });
        var context = new ApiTestContext(stack, app);
        var pool = await ReliabilityRun.SeedPersonsAsync(context, persons, credits: persons * 4L, seed: 3);
        var batches = ReliabilityRun.RandomBatches(pool, requests, maxSize: 30, seed: 4);

        cosmosFaults.Enabled = true;
        queueFaults.Enabled = true;
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, _) =>
        {
            using var response = await context.StartBatchAsync(batch.PersonIds, batch.Field);
            statuses.AddOrUpdate((int)response.StatusCode, 1, (_, count) => count + 1);
        });

        // Processing keeps meeting faults for a while, then storage recovers and the sweeps finish the rest.
        await Task.Delay(TimeSpan.FromSeconds(3));
        cosmosFaults.Enabled = false;
        queueFaults.Enabled = false;
        await ReliabilityRun.WaitUntilSettledAsync(app.Services, context.OrgId, TimeSpan.FromMinutes(ReliabilityRun.Full ? 10 : 3));

        var state = await InvariantChecker.ReadAsync(app.Services, context.OrgId);
        var violations = InvariantChecker.Violations(
            state, context.Service<IOptions<EnrichmentOptions>>().Value.FreshnessWindow, context.Service<TimeProvider>().GetUtcNow());
        var figures = $"{requests} requests over {persons} persons from 8 clients; statuses " +
            $"{string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}; injected: Cosmos 429 {cosmosFaults.Throttled}, " +
            $"Cosmos 503 {cosmosFaults.Unavailable}, queue send failures {queueFaults.Failed}, provider faults {provider.Faults} of {provider.Calls} calls; " +
            $"{state.Records.Count} records: {string.Join(", ", state.Records.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}"))}; " +
            $"{violations.Count} invariant violations";
        output.WriteLine(figures);
        ReliabilityRun.Report(nameof(FaultTests), figures);
        Assert.True(cosmosFaults.Throttled + cosmosFaults.Unavailable > 0, "no Cosmos DB fault was injected");
        Assert.True(queueFaults.Failed > 0, "no queue fault was injected");
        Assert.True(provider.Faults > 0, "no provider fault was injected");
        // Transient storage faults are retried, and the API returns 503 for those that last, never 500.
        Assert.All(statuses.Keys, status => Assert.Contains(status, new[] { 200, 402, 503 }));
        Assert.Empty(violations);
    }
}
