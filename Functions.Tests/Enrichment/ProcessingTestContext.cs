using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Organizations;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>
/// An organization of its own for one processing test, calling the app's services directly:
/// start enrichments, deliver their messages, sweep, and read back every document involved.
/// </summary>
internal sealed class ProcessingTestContext(RunningApp app)
{
    public string OrgId { get; } = "org_" + Guid.NewGuid().ToString("N")[..12];

    public string UserId { get; } = "user_" + Guid.NewGuid().ToString("N")[..8];

    public CallerIdentity Caller => new(UserId, OrgId);

    public RunningApp App => app;

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public async Task RegisterAsync(long credits)
    {
        await Service<OrganizationRegistry>().RegisterAsync(OrgId, CancellationToken.None);
        await Service<CreditService>().GrantAsync(OrgId, "test", credits, CancellationToken.None);
    }

    public async Task<string> AddPersonAsync(string fullName, string? companyDomain = TestDirectoryFile.Domain, string? linkedinUrl = null)
    {
        var id = Guid.NewGuid().ToString();
        var now = Service<TimeProvider>().GetUtcNow();
        await Service<PersonRepository>().UpsertAsync(new PersonDocument
        {
            Id = id,
            OrgId = OrgId,
            FullName = fullName,
            CompanyDomain = companyDomain,
            LinkedinUrl = linkedinUrl,
            CreatedAt = now,
            UpdatedAt = now,
        }, CancellationToken.None);
        return id;
    }

    /// <summary>Starts one enrichment as the batch route does: reserves, writes the record, sends its message.</summary>
    public async Task<EnrichmentRecord> StartAsync(string personId, EnrichmentField field)
    {
        var records = await Service<EnrichmentStarter>().StartAsync(Caller, [personId], field, CancellationToken.None);
        return Assert.Single(records);
    }

    /// <summary>Delivers the record's queue message to the processor, as the queue trigger does.</summary>
    public Task ProcessAsync(string enrichmentId) =>
        Service<EnrichmentProcessor>().ProcessAsync(new EnrichmentMessage(enrichmentId, OrgId), CancellationToken.None);

    public Task<SweepReport> SweepAsync() => Service<EnrichmentSweeper>().SweepOrganizationAsync(OrgId, CancellationToken.None);

    public async Task<EnrichmentDocument> RecordAsync(string enrichmentId) =>
        await Service<EnrichmentRepository>().FindAsync(OrgId, enrichmentId, CancellationToken.None)
        ?? throw new InvalidOperationException($"Enrichment {enrichmentId} does not exist.");

    public async Task<PersonDocument> PersonAsync(string personId) =>
        await Service<PersonRepository>().FindAsync(OrgId, personId, CancellationToken.None)
        ?? throw new InvalidOperationException($"Person {personId} does not exist.");

    public Task<CreditBalance> BalanceAsync() => Service<CreditService>().GetBalanceAsync(OrgId, CancellationToken.None);

    public async Task<CreditAccountDocument> AccountAsync() =>
        await Service<CreditService>().TryReadAccountAsync(OrgId, CancellationToken.None)
        ?? throw new InvalidOperationException($"Organization {OrgId} has no credit account.");

    /// <summary>The ledger's charge entries (the grant of <see cref="RegisterAsync"/> left out).</summary>
    public async Task<IReadOnlyList<LedgerEntryDocument>> ChargesAsync() =>
        (await Service<CreditService>().ReadLedgerAsync(OrgId, CancellationToken.None))
            .Where(entry => entry.Kind == LedgerKinds.Charge).ToList();

    public Task<GlobalResultDocument?> GlobalResultAsync(string globalId) =>
        Service<GlobalResultRepository>().FindAsync(globalId, CancellationToken.None);

    /// <summary>The id of the global result a person's data is stored under for <paramref name="field"/>.</summary>
    public async Task<string> GlobalIdOfAsync(string personId, EnrichmentField field) =>
        IdentityKey.From(await PersonAsync(personId))!.GlobalResultId(field);

    /// <summary>
    /// Checks invariants 2 and 3 for this organization, which started with <paramref name="granted"/>
    /// credits: nothing is reserved any more, each charge has one ledger entry named by its record,
    /// and the balance is the grant minus the charges.
    /// </summary>
    public async Task AssertSettledAsync(long granted, params (string EnrichmentId, int Price)[] charged)
    {
        var balance = await BalanceAsync();
        var account = await AccountAsync();
        var charges = await ChargesAsync();

        Assert.Equal(0, balance.Reserved);
        Assert.All(account.Holds.Values, hold => Assert.Empty(hold.Items));
        Assert.Equal(charged.Select(c => EnrichmentSettlement.TransactionIdOf(c.EnrichmentId)).Order(), charges.Select(c => c.Id).Order());
        Assert.All(charges, charge => Assert.Equal(-charged.Single(c => c.EnrichmentId == charge.EnrichmentId).Price, charge.Amount));
        Assert.Equal(granted - charged.Sum(c => c.Price), balance.Balance);
        Assert.Equal(balance.Balance, balance.Available);
    }
}
