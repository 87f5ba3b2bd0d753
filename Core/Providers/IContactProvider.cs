using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Core.Providers;

/// <summary>What a provider is given to look a person up: identity only, never tenant ids.</summary>
public sealed record ProviderQuery(
    string FullName,
    string? FirstName,
    string? LastName,
    string? CompanyName,
    string? CompanyDomain,
    string? LinkedinUrl,
    EnrichmentField Field);

public enum ProviderOutcome
{
    Found,
    NotFound,
    Failed,
}

/// <summary>
/// The result of one provider lookup: normalized data when found, or an error code and message
/// when the provider failed after its retries. Messages never contain contact data or keys.
/// </summary>
public sealed record ProviderResult(
    ProviderOutcome Outcome,
    ContactData Data,
    string? ErrorCode = null,
    string? ErrorMessage = null)
{
    public static ProviderResult NotFound { get; } = new(ProviderOutcome.NotFound, ContactData.Empty);

    public static ProviderResult Found(ContactData data) => new(ProviderOutcome.Found, data);

    public static ProviderResult Failed(string code, string message) =>
        new(ProviderOutcome.Failed, ContactData.Empty, code, message);
}

/// <summary>A source of contact data, asked in the configured waterfall order.</summary>
public interface IContactProvider
{
    /// <summary>The name used in settings (<c>Providers:Order</c>) and in stored provenance.</summary>
    string Name { get; }

    bool Supports(EnrichmentField field);

    /// <summary>
    /// Looks the person up. Returns <see cref="ProviderResult.NotFound"/> for a 404 or an empty
    /// response, and a failed result once retries are spent. Throws only on cancellation.
    /// </summary>
    Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken);
}
