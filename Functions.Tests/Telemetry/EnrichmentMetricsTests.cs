using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Telemetry;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Telemetry;

[Collection(LocalStackDefinition.Name)]
public sealed class EnrichmentMetricsTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Batch_Processed_CountsEnrichmentsAndCredits()
    {
        await stack.ClearQueuesAsync();
        await using var app = await stack.StartAppAsync(new AppStartOptions { EnableQueueListeners = true });
        using var metrics = new Collectors(app.Services);
        var context = new ApiTestContext(stack, app);
        var price = context.Service<IOptions<EnrichmentOptions>>().Value.PriceOf(EnrichmentField.Phones);
        var unknownIds = await context.SeedPersonsAsync(1, credits: 100);
        var janeId = Guid.NewGuid().ToString();
        await context.AddPersonAsync(janeId, "Jane Doe", "example.com");

        using var started = await context.StartBatchAsync([janeId, unknownIds[0]], "phones");

        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        await Eventually.WaitUntilAsync(() =>
            metrics.Sum(EnrichmentMetrics.Instruments.FinishedWithData) + metrics.Sum(EnrichmentMetrics.Instruments.FinishedWithoutData) == 2);
        Assert.Equal(2, metrics.Sum(EnrichmentMetrics.Instruments.Created));
        Assert.Equal(0, metrics.Sum(EnrichmentMetrics.Instruments.Reused));
        Assert.Equal(1, metrics.Sum(EnrichmentMetrics.Instruments.FinishedWithData));
        Assert.Equal(1, metrics.Sum(EnrichmentMetrics.Instruments.FinishedWithoutData));
        Assert.Equal(0, metrics.Sum(EnrichmentMetrics.Instruments.Failed));
        Assert.Equal(2 * price, metrics.Sum(EnrichmentMetrics.Instruments.CreditsReserved));
        Assert.Equal(price, metrics.Sum(EnrichmentMetrics.Instruments.CreditsCharged));
        Assert.Equal(price, metrics.Sum(EnrichmentMetrics.Instruments.CreditsReleased));
        Assert.All(metrics.Snapshot(EnrichmentMetrics.Instruments.Created),
            measurement => Assert.Equal("phones", measurement.Tags[EnrichmentMetrics.FieldTag]));

        using var again = await context.StartBatchAsync([janeId, unknownIds[0]], "phones");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, metrics.Sum(EnrichmentMetrics.Instruments.Reused));
        Assert.Equal(2, metrics.Sum(EnrichmentMetrics.Instruments.Created));
        Assert.Equal(2 * price, metrics.Sum(EnrichmentMetrics.Instruments.CreditsReserved));
    }

    [Fact]
    public async Task Settlement_AbandonedAndFailed_CountsEachStatus()
    {
        await using var app = await stack.StartAppAsync();
        using var metrics = new Collectors(app.Services);
        var context = new ApiTestContext(stack, app);
        var price = context.Service<IOptions<EnrichmentOptions>>().Value.PriceOf(EnrichmentField.Emails);
        var ids = await context.SeedPersonsAsync(3, credits: 100);
        using var started = await context.StartBatchAsync(ids, "emails");
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var records = await PendingRecordsAsync(context, ids, EnrichmentField.Emails);
        var settlement = context.Service<EnrichmentSettlement>();

        await settlement.AbandonAsync(records[0], EnrichmentStatus.Timeout, EnrichmentErrors.Timeout(TimeSpan.FromMinutes(5)), CancellationToken.None);
        await settlement.AbandonAsync(records[1], EnrichmentStatus.Cancelled, null, CancellationToken.None);
        await settlement.CompleteAsync(records[2], new EnrichmentOutcome(false, null, EnrichmentErrors.PersonNotFound()), CancellationToken.None);

        Assert.Equal(3, metrics.Sum(EnrichmentMetrics.Instruments.Created));
        Assert.Equal(1, metrics.Sum(EnrichmentMetrics.Instruments.TimedOut));
        Assert.Equal(1, metrics.Sum(EnrichmentMetrics.Instruments.Cancelled));
        Assert.Equal(1, metrics.Sum(EnrichmentMetrics.Instruments.Failed));
        Assert.Equal(0, metrics.Sum(EnrichmentMetrics.Instruments.FinishedWithData));
        Assert.Equal(0, metrics.Sum(EnrichmentMetrics.Instruments.FinishedWithoutData));
        Assert.Equal(3 * price, metrics.Sum(EnrichmentMetrics.Instruments.CreditsReserved));
        Assert.Equal(3 * price, metrics.Sum(EnrichmentMetrics.Instruments.CreditsReleased));
        Assert.Equal(0, metrics.Sum(EnrichmentMetrics.Instruments.CreditsCharged));
        Assert.Equal("emails", metrics.Snapshot(EnrichmentMetrics.Instruments.TimedOut).Single().Tags[EnrichmentMetrics.FieldTag]);
    }

    [Fact]
    public async Task Settlement_RepeatedAbandon_CountsOnce()
    {
        await using var app = await stack.StartAppAsync();
        using var metrics = new Collectors(app.Services);
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, credits: 100);
        using var started = await context.StartBatchAsync(ids, "emails");
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var record = (await PendingRecordsAsync(context, ids, EnrichmentField.Emails)).Single();
        var settlement = context.Service<EnrichmentSettlement>();

        await settlement.AbandonAsync(record, EnrichmentStatus.Cancelled, null, CancellationToken.None);
        await settlement.AbandonAsync(record, EnrichmentStatus.Cancelled, null, CancellationToken.None);

        Assert.Equal(1, metrics.Sum(EnrichmentMetrics.Instruments.Cancelled));
        Assert.Equal(metrics.Sum(EnrichmentMetrics.Instruments.CreditsReserved), metrics.Sum(EnrichmentMetrics.Instruments.CreditsReleased));
    }

    private static async Task<List<EnrichmentDocument>> PendingRecordsAsync(ApiTestContext context, IReadOnlyList<string> personIds, EnrichmentField field)
    {
        var latest = await context.Service<EnrichmentRepository>().FindLatestAsync(context.OrgId, field, personIds, CancellationToken.None);
        var records = personIds.Select(id => latest[id]).ToList();
        Assert.All(records, record => Assert.Equal(EnrichmentStatus.Pending, record.Status));
        return records;
    }

    /// <summary>One collector per instrument of the app's meter, scoped to the app's own meter factory.</summary>
    private sealed class Collectors : IDisposable
    {
        private readonly Dictionary<string, MetricCollector<long>> byInstrument;

        public Collectors(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            byInstrument = typeof(EnrichmentMetrics.Instruments)
                .GetFields()
                .Select(field => (string)field.GetRawConstantValue()!)
                .ToDictionary(name => name, name => new MetricCollector<long>(factory, EnrichmentMetrics.MeterName, name));
        }

        public long Sum(string instrument) => Snapshot(instrument).Sum(measurement => measurement.Value);

        public IReadOnlyList<CollectedMeasurement<long>> Snapshot(string instrument) =>
            byInstrument[instrument].GetMeasurementSnapshot();

        public void Dispose()
        {
            foreach (var collector in byInstrument.Values)
            {
                collector.Dispose();
            }
        }
    }
}
