using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>Timeouts and freshness windows, driven by a fake clock instead of waiting.</summary>
[Collection(LocalStackDefinition.Name)]
public sealed class FreshnessTests(LocalStackFixture stack)
{
    private const long Granted = 100;

    [Fact]
    public async Task Sweep_PendingPastMaxRunTime_TimesOut()
    {
        var clock = ProcessingApp.StartClockNow();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Time = clock });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var started = await context.StartAsync(await context.AddPersonAsync(TestNames.UniqueFullName()), EnrichmentField.Phones);
        var maxRunTime = context.Service<IOptions<EnrichmentOptions>>().Value.MaxRunTime;

        clock.Advance(maxRunTime - TimeSpan.FromSeconds(1));
        var early = await context.SweepAsync();
        Assert.Equal(0, early.TimedOut);
        Assert.Equal(EnrichmentStatus.Pending, (await context.RecordAsync(started.Id)).Status);
        Assert.Equal(10, (await context.BalanceAsync()).Reserved);

        clock.Advance(TimeSpan.FromSeconds(1));
        var late = await context.SweepAsync();

        Assert.Equal(1, late.TimedOut);
        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Timeout, record.Status);
        Assert.Null(record.DataFound);
        Assert.Null(record.CreditTransactionId);
        Assert.Equal(EnrichmentErrors.TimeoutCode, record.Error?.Code);
        Assert.Contains("800 seconds", record.Error?.Message, StringComparison.Ordinal);
        await context.AssertSettledAsync(Granted);

        // A late delivery of its message changes nothing.
        await context.ProcessAsync(started.Id);
        Assert.Equal(record.ETag, (await context.RecordAsync(started.Id)).ETag);
    }

    [Fact]
    public async Task Start_StaleFinishedRecord_IsReplaced()
    {
        var clock = ProcessingApp.StartClockNow();
        var provider = FakeContactProvider.Finding("fresh@example.com", "+12025550143", clock);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider, Time = clock });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var window = context.Service<IOptions<EnrichmentOptions>>().Value.FreshnessWindow;
        var first = await context.StartAsync(personId, EnrichmentField.Emails);
        await context.ProcessAsync(first.Id);

        clock.Advance(window - TimeSpan.FromSeconds(1));
        var reused = await context.StartAsync(personId, EnrichmentField.Emails);
        Assert.Equal(first.Id, reused.Id);
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);

        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await context.StartAsync(personId, EnrichmentField.Emails);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(EnrichmentStatus.Pending, second.Status);
        Assert.False((await context.RecordAsync(first.Id)).IsLatest);

        await context.ProcessAsync(second.Id);

        // The global result is as old as the record, so the provider is asked again.
        Assert.Equal(2, provider.Calls);
        Assert.Equal(EnrichmentStatus.Finished, (await context.RecordAsync(second.Id)).Status);
        await context.AssertSettledAsync(Granted, (first.Id, 1), (second.Id, 1));
    }

    [Fact]
    public async Task Process_StaleGlobalResult_IsNotReused()
    {
        var clock = ProcessingApp.StartClockNow();
        var provider = FakeContactProvider.Finding("stale@example.com", "+12025550143", clock);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider, Time = clock });
        var first = new ProcessingTestContext(app);
        var second = new ProcessingTestContext(app);
        await first.RegisterAsync(Granted);
        await second.RegisterAsync(Granted);
        var name = TestNames.UniqueFullName();
        var firstPerson = await first.AddPersonAsync(name);
        var secondPerson = await second.AddPersonAsync(name);
        var firstRecord = await first.StartAsync(firstPerson, EnrichmentField.Phones);
        await first.ProcessAsync(firstRecord.Id);
        var globalId = await first.GlobalIdOfAsync(firstPerson, EnrichmentField.Phones);
        var written = (await first.GlobalResultAsync(globalId))!.UpdatedAt;

        clock.Advance(first.Service<IOptions<EnrichmentOptions>>().Value.FreshnessWindow);
        var secondRecord = await second.StartAsync(secondPerson, EnrichmentField.Phones);
        await second.ProcessAsync(secondRecord.Id);

        Assert.Equal(2, provider.Calls);
        var record = await second.RecordAsync(secondRecord.Id);
        Assert.True(record.DataFound);
        Assert.Equal(globalId, record.GlobalEnrichmentId);
        Assert.Equal(written + first.Service<IOptions<EnrichmentOptions>>().Value.FreshnessWindow, (await first.GlobalResultAsync(globalId))!.UpdatedAt);
        await second.AssertSettledAsync(Granted, (secondRecord.Id, 10));
    }
}
