using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;

namespace ContactEnrichment.Functions.Tests.Reliability;

/// <summary>
/// A provider that fails a share of calls after its retries (a failed result), throws on a
/// smaller share as an unexpected fault would, and otherwise finds one email and one phone.
/// </summary>
internal sealed class FlakyProvider(double failShare, double throwShare, int seed) : IContactProvider
{
    public const string ProviderName = "flaky";

    private readonly Random random = new(seed);
    private long failures;
    private long throws;
    private long calls;

    public string Name => ProviderName;

    public long Calls => Interlocked.Read(ref calls);

    public long Faults => Interlocked.Read(ref failures) + Interlocked.Read(ref throws);

    public bool Supports(EnrichmentField field) => true;

    public async Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        Interlocked.Increment(ref calls);
        double roll;
        lock (random)
        {
            roll = random.NextDouble();
        }

        await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        if (roll < throwShare)
        {
            Interlocked.Increment(ref throws);
            throw new InvalidOperationException("injected provider fault");
        }

        if (roll < throwShare + failShare)
        {
            Interlocked.Increment(ref failures);
            return ProviderResult.Failed("PROVIDER_UNAVAILABLE", "injected provider failure");
        }

        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        return ProviderResult.Found(new ContactData(
            [new ContactEmail("someone@flaky.example", ProviderName, now)],
            [new ContactPhone("+12025550111", "work", ProviderName, now)]));
    }
}
