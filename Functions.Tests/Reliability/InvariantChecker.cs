using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Functions.Tests.Reliability;

/// <summary>
/// Reads one organization's records, credit account and ledger and lists every broken invariant
/// of SPEC.md: active records per person and field, charges, reservations, terminal states and
/// balance against the ledger.
/// </summary>
internal static class InvariantChecker
{
    public static async Task<OrganizationState> ReadAsync(IServiceProvider services, string orgId)
    {
        var store = services.GetRequiredService<CosmosStore>();
        var query = new QueryDefinition("SELECT * FROM c WHERE c.orgId = @orgId").WithParameter("@orgId", orgId);
        var records = await store.Enrichments.QueryAllAsync<EnrichmentDocument>(query, orgId, CancellationToken.None);
        var credits = services.GetRequiredService<CreditService>();
        var account = await credits.TryReadAccountAsync(orgId, CancellationToken.None);
        var ledger = await credits.ReadLedgerAsync(orgId, CancellationToken.None);
        return new OrganizationState(records, account, ledger);
    }

    /// <summary>Returns a description of each violated invariant; empty when all hold.</summary>
    public static List<string> Violations(OrganizationState state, TimeSpan freshness, DateTimeOffset now)
    {
        var violations = new List<string>();
        foreach (var group in state.Records.GroupBy(r => (r.EntityId, r.Field)))
        {
            var active = group.Count(r => r.Status == EnrichmentStatus.Pending
                || (r.Status == EnrichmentStatus.Finished && now - r.UpdatedAt < freshness && r.ActiveKey == EnrichmentDocument.LatestKey(r.Field, r.EntityId)));
            var latest = group.Count(r => r.ActiveKey == EnrichmentDocument.LatestKey(r.Field, r.EntityId));
            if (group.Count(r => r.Status == EnrichmentStatus.Pending) > 1 || active > 1 || latest > 1)
            {
                violations.Add($"person {group.Key.EntityId} {group.Key.Field}: {active} active, {latest} latest records");
            }
        }

        var charges = state.Ledger.Where(e => e.Kind == LedgerKinds.Charge).ToList();
        foreach (var charge in charges.GroupBy(e => e.EnrichmentId))
        {
            var record = state.Records.FirstOrDefault(r => r.Id == charge.Key);
            if (charge.Count() > 1)
            {
                violations.Add($"enrichment {charge.Key} charged {charge.Count()} times");
            }

            if (record is null || record.Status != EnrichmentStatus.Finished || record.DataFound != true)
            {
                violations.Add($"enrichment {charge.Key} charged but {record?.Status.ToString() ?? "missing"}, dataFound {record?.DataFound}");
            }
        }

        foreach (var record in state.Records)
        {
            if (record.Status == EnrichmentStatus.Pending)
            {
                violations.Add($"enrichment {record.Id} still pending");
            }

            var charged = charges.Any(e => e.EnrichmentId == record.Id);
            if (record.Status == EnrichmentStatus.Finished && record.DataFound == true && record.Price > 0 && !charged)
            {
                violations.Add($"enrichment {record.Id} finished with data but not charged");
            }

            if ((record.CreditTransactionId is not null) != (record.Status == EnrichmentStatus.Finished && record.DataFound == true && record.Price > 0))
            {
                violations.Add($"enrichment {record.Id} ({record.Status}, dataFound {record.DataFound}) has creditTransactionId {record.CreditTransactionId ?? "null"}");
            }
        }

        if (state.Account is { } account)
        {
            var ledgerSum = state.Ledger.Sum(e => e.Amount);
            if (account.Balance != ledgerSum)
            {
                violations.Add($"balance {account.Balance} but the ledger sums to {ledgerSum}");
            }

            if (account.Reserved != 0 || account.Reserved > account.Balance || account.Available != account.Balance - account.Reserved)
            {
                violations.Add($"reserved {account.Reserved}, available {account.Available}, balance {account.Balance}");
            }
        }

        return violations;
    }
}

internal sealed record OrganizationState(
    IReadOnlyList<EnrichmentDocument> Records, CreditAccountDocument? Account, IReadOnlyList<LedgerEntryDocument> Ledger)
{
    public bool AllTerminal => Records.All(r => r.Status != EnrichmentStatus.Pending);

    public bool Settled => AllTerminal && Account is { Reserved: 0 };
}
