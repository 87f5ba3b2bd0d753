using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>
/// A contact provider that returns the result a test sets and counts its calls. Register it with
/// <see cref="ProcessingApp.StartAsync"/>, which puts it first in the waterfall of both fields.
/// </summary>
internal sealed class FakeContactProvider(string name, Func<ProviderQuery, ProviderResult> result) : IContactProvider
{
    private int calls;

    public string Name => name;

    public int Calls => Volatile.Read(ref calls);

    public bool Supports(EnrichmentField field) => true;

    public Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref calls);
        return Task.FromResult(result(query));
    }

    /// <summary>Fails every call, as a provider does once its retries are spent.</summary>
    public static FakeContactProvider Failing() =>
        new("fake-failing", _ => ProviderResult.Failed("PROVIDER_UNAVAILABLE", "The fake provider is down."));

    /// <summary>Finds <paramref name="email"/> and <paramref name="phone"/> (E.164) for every person.</summary>
    public static FakeContactProvider Finding(string email, string phone, TimeProvider clock) =>
        new("fake-finding", _ => ProviderResult.Found(new ContactData(
            [new ContactEmail(email, "fake-finding", clock.GetUtcNow())],
            [new ContactPhone(phone, "fixed_line_or_mobile", "fake-finding", clock.GetUtcNow())])));
}
