using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Functions.Tests.Enrichment;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Persons;

/// <summary>A person import and a contact merge of the same person, with the merge landing between the import's read and write.</summary>
[Collection(LocalStackDefinition.Name)]
public sealed class PersonImportRaceTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Import_MergeBeforeReplace_KeepsMergedContact()
    {
        var interleave = new BeforeFirstWriteHandler();
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            ConfigureServices = services => services.AddSingleton<RequestHandler>(interleave),
        });
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, credits: 0);
        var persons = context.Service<PersonRepository>();
        var found = new ContactData([new ContactEmail("merged@example.net", "test", DateTimeOffset.UnixEpoch)], []);
        interleave.Arm("persons", ids[0], () => persons.MergeContactsAsync(context.OrgId, ids[0], found, null, CancellationToken.None));

        var result = await context.Service<PersonImporter>().ImportAsync(context.OrgId,
            [new PersonInput(ids[0], "Jane", "Doe", "Jane Doe", null, "example.net", null, null, null, new Dictionary<string, string>())],
            CancellationToken.None);

        var stored = await persons.FindAsync(context.OrgId, ids[0], CancellationToken.None);
        Assert.Equal(1, interleave.Runs);
        Assert.Equal([ids[0]], result.UpdatedIds);
        Assert.Equal("Jane Doe", stored!.FullName);
        Assert.Equal(["merged@example.net"], stored.Emails.Select(email => email.Address));
    }

    [Fact]
    public async Task Import_CreatedInBetween_CountsAsUpdate()
    {
        var interleave = new BeforeFirstWriteHandler();
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            ConfigureServices = services => services.AddSingleton<RequestHandler>(interleave),
        });
        var context = new ApiTestContext(stack, app);
        await context.SeedPersonsAsync(0, credits: 0);
        var id = Guid.NewGuid().ToString();
        interleave.Arm("persons", null, () => context.AddPersonAsync(id, "Someone Else"));

        var result = await context.Service<PersonImporter>().ImportAsync(context.OrgId,
            [new PersonInput(id, null, null, "Jane Doe", null, "example.net", null, null, null, new Dictionary<string, string>())],
            CancellationToken.None);

        var stored = await context.Service<PersonRepository>().FindAsync(context.OrgId, id, CancellationToken.None);
        Assert.Equal(1, interleave.Runs);
        Assert.Empty(result.CreatedIds);
        Assert.Equal([id], result.UpdatedIds);
        Assert.Equal("Jane Doe", stored!.FullName);
    }

    /// <summary>Runs an action once, just before the first create or replace of a matching person reaches the database.</summary>
    private sealed class BeforeFirstWriteHandler : RequestHandler
    {
        private Func<CosmosRequest, bool>? match;
        private Func<Task>? action;

        public int Runs { get; private set; }

        /// <param name="documentId">The person's id for a replace; null to match the first create.</param>
        public void Arm(string container, string? documentId, Func<Task> run)
        {
            match = request => request.Container == container &&
                (documentId is null ? request.IsCreate : request.IsReplace(container, documentId));
            action = run;
        }

        public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            var run = Interlocked.Exchange(ref action, null);
            if (run is not null)
            {
                if (match!(CosmosRequest.From(request)))
                {
                    Runs++;
                    await run();
                }
                else
                {
                    action = run;
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
