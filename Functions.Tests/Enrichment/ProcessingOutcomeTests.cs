using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

[Collection(LocalStackDefinition.Name)]
public sealed class ProcessingOutcomeTests(LocalStackFixture stack)
{
    private const long Granted = 100;

    [Fact]
    public async Task Process_EmailsFound_ChargesOnce()
    {
        using var directory = new TestDirectoryFile(["Ada.Found@Example.COM", "ada.found@example.com", "second@EXAMPLE.com"], []);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { DirectoryPath = directory.Path });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(directory.FullName);
        var started = await context.StartAsync(personId, EnrichmentField.Emails);

        await context.ProcessAsync(started.Id);

        var record = await context.RecordAsync(started.Id);
        var globalId = await context.GlobalIdOfAsync(personId, EnrichmentField.Emails);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.True(record.DataFound);
        Assert.Null(record.Error);
        Assert.Equal($"charge-{started.Id}", record.CreditTransactionId);
        Assert.Equal(globalId, record.GlobalEnrichmentId);

        var person = await context.PersonAsync(personId);
        Assert.Equal(["ada.found@example.com", "second@example.com"], person.Emails.Select(email => email.Address));
        Assert.All(person.Emails, email => Assert.Equal("directory", email.Provider));
        Assert.Empty(person.Phones);

        var global = await context.GlobalResultAsync(globalId);
        Assert.NotNull(global);
        Assert.Equal(EnrichmentField.Emails, global.Field);
        Assert.Equal(person.Emails.Select(email => email.Address), global.Emails.Select(email => email.Address));
        Assert.Empty(global.Phones);

        var charge = Assert.Single(await context.ChargesAsync());
        Assert.Equal(started.Id, charge.EnrichmentId);
        Assert.Equal("emails", charge.Field);
        await context.AssertSettledAsync(Granted, (started.Id, 1));
        Assert.Equal(Granted - 1, (await context.BalanceAsync()).Balance);
    }

    [Fact]
    public async Task Process_PhonesFound_StoresE164()
    {
        using var directory = new TestDirectoryFile([], ["(202) 555-0143", "+1 415 555 0187", "202.555.0143"]);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { DirectoryPath = directory.Path });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(directory.FullName);
        var started = await context.StartAsync(personId, EnrichmentField.Phones);

        await context.ProcessAsync(started.Id);

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.True(record.DataFound);
        Assert.Equal($"charge-{started.Id}", record.CreditTransactionId);
        Assert.Equal(await context.GlobalIdOfAsync(personId, EnrichmentField.Phones), record.GlobalEnrichmentId);

        var person = await context.PersonAsync(personId);
        Assert.Equal(["+12025550143", "+14155550187"], person.Phones.Select(phone => phone.Number));
        Assert.All(person.Phones, phone => Assert.Equal("directory", phone.Provider));
        Assert.Empty(person.Emails);

        var global = await context.GlobalResultAsync(record.GlobalEnrichmentId!);
        Assert.Equal(["+12025550143", "+14155550187"], global!.Phones.Select(phone => phone.Number));
        await context.AssertSettledAsync(Granted, (started.Id, 10));
    }

    [Fact]
    public async Task Process_NothingFound_ReleasesReservation()
    {
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions());
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Phones);
        Assert.Equal(10, (await context.BalanceAsync()).Reserved);

        await context.ProcessAsync(started.Id);

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.False(record.DataFound);
        Assert.Null(record.Error);
        Assert.Null(record.CreditTransactionId);
        Assert.Null(record.GlobalEnrichmentId);

        var person = await context.PersonAsync(personId);
        Assert.Empty(person.Phones);
        Assert.Empty(person.Emails);
        Assert.Null(await context.GlobalResultAsync(await context.GlobalIdOfAsync(personId, EnrichmentField.Phones)));
        await context.AssertSettledAsync(Granted);
    }

    [Fact]
    public async Task Process_ProvidersFail_RecordFails()
    {
        var provider = FakeContactProvider.Failing();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Emails);

        await context.ProcessAsync(started.Id);

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(1, provider.Calls);
        Assert.Equal(EnrichmentStatus.Failed, record.Status);
        Assert.Null(record.DataFound);
        Assert.Equal("PROVIDER_UNAVAILABLE", record.Error?.Code);
        Assert.Equal("The fake provider is down.", record.Error?.Message);
        Assert.Null(record.CreditTransactionId);
        Assert.Null(record.GlobalEnrichmentId);
        Assert.Empty((await context.PersonAsync(personId)).Emails);
        Assert.Null(await context.GlobalResultAsync(await context.GlobalIdOfAsync(personId, EnrichmentField.Emails)));
        await context.AssertSettledAsync(Granted);
    }

    [Fact]
    public async Task Process_RecordNotPending_ChangesNothing()
    {
        var provider = FakeContactProvider.Failing();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());
        var started = await context.StartAsync(personId, EnrichmentField.Emails);
        await context.ProcessAsync(started.Id);
        var failed = await context.RecordAsync(started.Id);

        await context.ProcessAsync(started.Id);
        await context.ProcessAsync(Guid.NewGuid().ToString());

        Assert.Equal(1, provider.Calls);
        Assert.Equal(failed.ETag, (await context.RecordAsync(started.Id)).ETag);
        await context.AssertSettledAsync(Granted);
    }
}
