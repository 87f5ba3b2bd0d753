using ContactEnrichment.Core.Domain;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

[Collection(LocalStackDefinition.Name)]
public sealed class RedeliveryTests(LocalStackFixture stack)
{
    private const long Granted = 50;

    [Fact]
    public async Task Process_SameMessageTwice_ChargesOnce()
    {
        var provider = FakeContactProvider.Finding("twice@example.com", "+12025550143", TimeProvider.System);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Phones);

        await context.ProcessAsync(started.Id);
        var first = await context.RecordAsync(started.Id);
        await context.ProcessAsync(started.Id);

        var second = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, second.Status);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal(1, provider.Calls);
        Assert.Equal(["+12025550143"], (await context.PersonAsync(personId)).Phones.Select(phone => phone.Number));
        await context.AssertSettledAsync(Granted, (started.Id, 10));
    }

    [Fact]
    public async Task Process_TenDeliveriesInParallel_FinishOnceAndChargeOnce()
    {
        var provider = FakeContactProvider.Finding("parallel@example.com", "+12025550143", TimeProvider.System);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Emails);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => context.ProcessAsync(started.Id))));

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.True(record.DataFound);
        Assert.Equal($"charge-{started.Id}", record.CreditTransactionId);
        Assert.InRange(provider.Calls, 1, 10);
        Assert.Equal(["parallel@example.com"], (await context.PersonAsync(personId)).Emails.Select(email => email.Address));
        await context.AssertSettledAsync(Granted, (started.Id, 1));
    }

    [Fact]
    public async Task Process_ManyRecordsTwice_ChargeOnceEach()
    {
        var provider = FakeContactProvider.Finding("many@example.com", "+12025550143", TimeProvider.System);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            personIds.Add(await context.AddPersonAsync(TestNames.UniqueFullName()));
        }

        var records = await context.Service<Core.Enrichment.EnrichmentStarter>().StartAsync(
            context.Caller, personIds, EnrichmentField.Phones, CancellationToken.None);

        await Task.WhenAll(records.Concat(records).Select(record => Task.Run(() => context.ProcessAsync(record.Id))));

        foreach (var record in records)
        {
            Assert.Equal(EnrichmentStatus.Finished, (await context.RecordAsync(record.Id)).Status);
        }

        await context.AssertSettledAsync(Granted, records.Select(record => (record.Id, 10)).ToArray());
    }
}
