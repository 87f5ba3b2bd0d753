using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>
/// Simulates a crash after each write of processing and settlement, as docs/design.md lists them,
/// then recovers by delivering the message again or by a sweep. Afterwards the record is terminal,
/// it is charged at most once and only with data, and nothing is left reserved.
/// </summary>
[Collection(LocalStackDefinition.Name)]
public sealed class CrashRecoveryTests(LocalStackFixture stack)
{
    private const long Granted = 50;

    public enum CrashPoint
    {
        GlobalResultWritten,
        PersonMerged,
        OutcomeStored,
        LedgerEntryWritten,
        AccountPatched,
        TerminalWritten,
    }

    public enum Recovery
    {
        Redelivery,
        Sweep,
    }

    public static TheoryData<CrashPoint, Recovery> FoundCases()
    {
        var data = new TheoryData<CrashPoint, Recovery>();
        foreach (var point in Enum.GetValues<CrashPoint>())
        {
            foreach (var recovery in Enum.GetValues<Recovery>())
            {
                data.Add(point, recovery);
            }
        }

        return data;
    }

    public static TheoryData<CrashPoint, Recovery> NotFoundCases() => new()
    {
        { CrashPoint.OutcomeStored, Recovery.Redelivery },
        { CrashPoint.OutcomeStored, Recovery.Sweep },
        { CrashPoint.AccountPatched, Recovery.Redelivery },
        { CrashPoint.AccountPatched, Recovery.Sweep },
        { CrashPoint.TerminalWritten, Recovery.Redelivery },
        { CrashPoint.TerminalWritten, Recovery.Sweep },
    };

    [Theory]
    [MemberData(nameof(FoundCases))]
    public async Task FoundCrash_Recovery_ChargesOnce(CrashPoint point, Recovery recovery)
    {
        var clock = ProcessingApp.StartClockNow();
        var crashes = new CosmosCrashHandler();
        var provider = FakeContactProvider.Finding("crash@example.com", "+12025550143", clock);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider, Time = clock, Crashes = crashes });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Emails);

        ArmCrash(crashes, point, context, personId, started.Id);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => context.ProcessAsync(started.Id));
        await RecoverAsync(context, clock, recovery, started.Id);

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.True(record.DataFound);
        Assert.Equal($"charge-{started.Id}", record.CreditTransactionId);
        Assert.Equal(await context.GlobalIdOfAsync(personId, EnrichmentField.Emails), record.GlobalEnrichmentId);
        Assert.Equal(1, provider.Calls);
        Assert.Equal(["crash@example.com"], (await context.PersonAsync(personId)).Emails.Select(email => email.Address));
        await context.AssertSettledAsync(Granted, (started.Id, 1));
    }

    [Theory]
    [MemberData(nameof(NotFoundCases))]
    public async Task NotFoundCrash_Recovery_ChargesNothing(CrashPoint point, Recovery recovery)
    {
        var clock = ProcessingApp.StartClockNow();
        var crashes = new CosmosCrashHandler();
        var provider = new FakeContactProvider("fake-empty", _ => ProviderResult.NotFound);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider, Time = clock, Crashes = crashes });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Phones);

        ArmCrash(crashes, point, context, personId, started.Id);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => context.ProcessAsync(started.Id));
        await RecoverAsync(context, clock, recovery, started.Id);

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.False(record.DataFound);
        Assert.Null(record.CreditTransactionId);
        Assert.Equal(1, provider.Calls);
        await context.AssertSettledAsync(Granted);
    }

    [Fact]
    public async Task TimeoutCrashBeforeRelease_SweepReleases()
    {
        var clock = ProcessingApp.StartClockNow();
        var crashes = new CosmosCrashHandler();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Time = clock, Crashes = crashes });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Phones);
        var options = context.Service<IOptions<EnrichmentOptions>>().Value;

        clock.Advance(options.MaxRunTime);
        crashes.CrashAfter(request => request.IsReplace(StorageLayout.Enrichments, started.Id));
        await Assert.ThrowsAsync<SimulatedCrashException>(context.SweepAsync);
        Assert.Equal(EnrichmentStatus.Timeout, (await context.RecordAsync(started.Id)).Status);
        Assert.Equal(10, (await context.BalanceAsync()).Reserved);

        var report = await context.SweepAsync();

        Assert.Equal(1, report.ReservationsReturned);
        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Timeout, record.Status);
        Assert.Equal(EnrichmentErrors.TimeoutCode, record.Error?.Code);
        await context.AssertSettledAsync(Granted);
    }

    [Fact]
    public async Task StartCrashBeforeRecords_SweepReturnsReservation()
    {
        var clock = ProcessingApp.StartClockNow();
        var crashes = new CosmosCrashHandler();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Time = clock, Crashes = crashes });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var options = context.Service<IOptions<EnrichmentOptions>>().Value;

        crashes.CrashBefore(request => request.IsCreate && request.Container == StorageLayout.Enrichments);
        await Assert.ThrowsAsync<SimulatedCrashException>(() => context.StartAsync(personId, EnrichmentField.Phones));
        Assert.Equal(10, (await context.BalanceAsync()).Reserved);

        clock.Advance(options.OrphanReservationTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await context.SweepAsync()).ReservationsReturned);
        Assert.Equal(10, (await context.BalanceAsync()).Reserved);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await context.SweepAsync()).ReservationsReturned);
        await context.AssertSettledAsync(Granted);

        // The next sweep removes the emptied reservation itself.
        await context.SweepAsync();
        Assert.Empty((await context.AccountAsync()).Holds);
    }

    [Fact]
    public async Task LostMessage_SweepResends_Finishes()
    {
        var clock = ProcessingApp.StartClockNow();
        var queue = new DroppingQueuePolicy();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions
        {
            Time = clock,
            ConfigureServices = services => services.AddSingleton<HttpPipelinePolicy>(queue),
        });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync("Jane Doe");
        var options = context.Service<IOptions<EnrichmentOptions>>().Value;

        var started = await context.StartAsync(personId, EnrichmentField.Phones);
        Assert.Equal(1, queue.Dropped);
        Assert.Equal(0, queue.Sent);
        queue.Dropping = false;

        clock.Advance(options.RequeueAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await context.SweepAsync()).Requeued);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await context.SweepAsync()).Requeued);
        Assert.Equal(1, queue.Sent);

        // Sent again at most once per RequeueAfter.
        Assert.Equal(0, (await context.SweepAsync()).Requeued);
        Assert.Equal(1, queue.Sent);

        await context.ProcessAsync(started.Id);
        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.True(record.DataFound);
        await context.AssertSettledAsync(Granted, (started.Id, 10));
    }

    [Fact]
    public async Task LostMessage_QueueDown_TimesOut()
    {
        var clock = ProcessingApp.StartClockNow();
        var queue = new DroppingQueuePolicy();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions
        {
            Time = clock,
            ConfigureServices = services => services.AddSingleton<HttpPipelinePolicy>(queue),
        });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var options = context.Service<IOptions<EnrichmentOptions>>().Value;
        var started = await context.StartAsync(personId, EnrichmentField.Phones);

        clock.Advance(options.RequeueAfter);
        var requeue = await context.SweepAsync();
        clock.Advance(options.MaxRunTime - options.RequeueAfter);
        var timeout = await context.SweepAsync();

        Assert.Equal(0, requeue.Requeued);
        Assert.Equal(2, queue.Dropped);
        Assert.Equal(1, timeout.TimedOut);
        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Timeout, record.Status);
        Assert.Null(record.DataFound);
        Assert.Equal(EnrichmentErrors.TimeoutCode, record.Error?.Code);
        await context.AssertSettledAsync(Granted);
    }

    private static void ArmCrash(CosmosCrashHandler crashes, CrashPoint point, ProcessingTestContext context, string personId, string recordId)
    {
        switch (point)
        {
            case CrashPoint.GlobalResultWritten:
                crashes.CrashAfter(request => request.IsCreate && request.Container == StorageLayout.GlobalResults);
                break;
            case CrashPoint.PersonMerged:
                crashes.CrashAfter(request => request.IsReplace(StorageLayout.Persons, personId));
                break;
            case CrashPoint.OutcomeStored:
                crashes.CrashAfter(request => request.IsReplace(StorageLayout.Enrichments, recordId));
                break;
            case CrashPoint.LedgerEntryWritten:
                crashes.CrashAfter(request => request.IsCreate && request.Container == StorageLayout.Credits);
                break;
            case CrashPoint.AccountPatched:
                crashes.CrashAfter(request => request.IsPatch(StorageLayout.Credits, $"account-{context.OrgId}"));
                break;
            case CrashPoint.TerminalWritten:
                crashes.CrashAfter(request => request.IsReplace(StorageLayout.Enrichments, recordId), nth: 2);
                break;
        }
    }

    /// <summary>
    /// Recovers as production would: the queue delivers the message again, or, with no message
    /// left, the sweep settles a stored outcome or sends the message again, which is then delivered.
    /// </summary>
    private static async Task RecoverAsync(ProcessingTestContext context, FakeTimeProvider clock, Recovery recovery, string recordId)
    {
        if (recovery == Recovery.Redelivery)
        {
            await context.ProcessAsync(recordId);
            return;
        }

        clock.Advance(context.Service<IOptions<EnrichmentOptions>>().Value.RequeueAfter);
        var report = await context.SweepAsync();
        if (report.Requeued > 0)
        {
            await context.ProcessAsync(recordId);
        }
    }
}
