using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;

namespace ContactEnrichment.Functions.Http;

/// <summary>The answer to a request with <c>"dryRun": true</c>: what would happen, and nothing done.</summary>
public sealed record DryRunResponse(
    bool DryRun,
    EnrichmentField Field,
    int ReusedCount,
    int CreatedCount,
    long Price,
    long Available,
    bool Sufficient,
    IReadOnlyList<EnrichmentRecord> Reused,
    IReadOnlyList<string> PersonIdsToEnrich)
{
    public static DryRunResponse From(EnrichmentPlanSummary plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new DryRunResponse(true, plan.Field, plan.Reused.Count, plan.PersonIdsToEnrich.Count, plan.Price,
            plan.Available, plan.Sufficient, plan.Reused, plan.PersonIdsToEnrich);
    }
}
