using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;

namespace ContactEnrichment.Bench;

/// <summary>A provider that returns after a fixed delay with one email and one phone, as a stand-in for a remote API.</summary>
internal sealed class FixedLatencyProvider(TimeSpan latency, TimeProvider timeProvider) : IContactProvider
{
    public const string ProviderName = "stub";

    public string Name => ProviderName;

    public bool Supports(EnrichmentField field) => true;

    public async Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await Task.Delay(latency, timeProvider, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var slug = new string(query.FullName.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        return ProviderResult.Found(new ContactData(
            [new ContactEmail($"{slug}@stub.example", ProviderName, now)],
            [new ContactPhone("+12025550100", "work", ProviderName, now)]));
    }
}
