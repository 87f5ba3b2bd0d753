using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Persons;

/// <summary>
/// The processor merges found data into the person and the global result against the versions
/// it read before calling the providers. These tests change a document after that read.
/// </summary>
[Collection(LocalStackDefinition.Name)]
public sealed class ContactMergeWriteTests(LocalStackFixture stack) : IAsyncLifetime
{
    private RunningApp? app;

    public async Task InitializeAsync() => app = await stack.StartAppAsync(new AppStartOptions());

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task PersonMerge_StaleRead_KeepsBothWrites()
    {
        var context = new ApiTestContext(stack, app!);
        var ids = await context.SeedPersonsAsync(1, credits: 0);
        var persons = context.Service<PersonRepository>();
        var stale = await persons.FindAsync(context.OrgId, ids[0], CancellationToken.None);
        await persons.MergeContactsAsync(context.OrgId, ids[0], Data("first@example.net"), null, CancellationToken.None);

        await persons.MergeContactsAsync(context.OrgId, ids[0], Data("second@example.net"), stale, CancellationToken.None);

        var stored = await persons.FindAsync(context.OrgId, ids[0], CancellationToken.None);
        Assert.Equal(["first@example.net", "second@example.net"], stored!.Emails.Select(email => email.Address));
    }

    [Fact]
    public async Task PersonMerge_DeletedAfterRead_DoesNothing()
    {
        var context = new ApiTestContext(stack, app!);
        var ids = await context.SeedPersonsAsync(1, credits: 0);
        var persons = context.Service<PersonRepository>();
        var stale = await persons.FindAsync(context.OrgId, ids[0], CancellationToken.None);
        await context.Service<CosmosStore>().Persons.DeleteItemAsync<PersonDocument>(ids[0], new PartitionKey(context.OrgId));

        await persons.MergeContactsAsync(context.OrgId, ids[0], Data("late@example.net"), stale, CancellationToken.None);

        Assert.Null(await persons.FindAsync(context.OrgId, ids[0], CancellationToken.None));
    }

    [Fact]
    public async Task GlobalMerge_CreatedAfterRead_KeepsBothWrites()
    {
        var results = app!.Services.GetRequiredService<GlobalResultRepository>();
        var id = "global-test-" + Guid.NewGuid().ToString("N");
        await results.MergeAsync(id, EnrichmentField.Emails, Data("first@example.net"), null, CancellationToken.None);

        await results.MergeAsync(id, EnrichmentField.Emails, Data("second@example.net"), null, CancellationToken.None);

        var stored = await results.FindAsync(id, CancellationToken.None);
        Assert.Equal(["first@example.net", "second@example.net"], stored!.Emails.Select(email => email.Address));
    }

    [Fact]
    public async Task GlobalMerge_ChangedAfterRead_KeepsBothWrites()
    {
        var results = app!.Services.GetRequiredService<GlobalResultRepository>();
        var id = "global-test-" + Guid.NewGuid().ToString("N");
        await results.MergeAsync(id, EnrichmentField.Emails, Data("first@example.net"), null, CancellationToken.None);
        var stale = await results.FindAsync(id, CancellationToken.None);
        await results.MergeAsync(id, EnrichmentField.Emails, Data("second@example.net"), stale, CancellationToken.None);

        await results.MergeAsync(id, EnrichmentField.Emails, Data("third@example.net"), stale, CancellationToken.None);

        var stored = await results.FindAsync(id, CancellationToken.None);
        Assert.Equal(["first@example.net", "second@example.net", "third@example.net"], stored!.Emails.Select(email => email.Address));
    }

    private static ContactData Data(string email) =>
        new([new ContactEmail(email, "test", DateTimeOffset.UnixEpoch)], []);
}
