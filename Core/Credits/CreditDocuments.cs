namespace ContactEnrichment.Core.Credits;

/// <summary>
/// The credits of one organization: id <see cref="IdFor"/> in the <c>credits</c> container.
/// <c>available</c> is kept equal to <c>balance - reserved</c> by every patch, so that a reservation
/// can be one conditional patch (<c>available &gt;= price</c>) that never overspends.
/// </summary>
public sealed record CreditAccountDocument
{
    /// <summary>
    /// Returns the account's id. It contains the organization id although the partition already
    /// does, because the local stand-in checks a patch's filter against every document with the
    /// same id in the container, whatever its partition.
    /// </summary>
    public static string IdFor(string orgId) => $"account-{orgId}";

    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public string Type { get; init; } = "account";

    public long Balance { get; init; }

    public long Reserved { get; init; }

    public long Available { get; init; }

    /// <summary>Open reservations by reservation id; each lists its enrichment ids and prices.</summary>
    public Dictionary<string, CreditHold> Holds { get; init; } = [];

    /// <summary>Grants applied so far by grant id, which makes a repeated grant a no-op.</summary>
    public Dictionary<string, long> Grants { get; init; } = [];

    /// <summary>The Cosmos DB entity tag as read; never written back.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("_etag")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ETag { get; init; }
}

/// <summary>Credits reserved by one request, by enrichment id, until each is charged or released.</summary>
public sealed record CreditHold(DateTimeOffset CreatedAt, Dictionary<string, int> Items);

public static class LedgerKinds
{
    public const string Grant = "grant";
    public const string Charge = "charge";
}

/// <summary>
/// One ledger entry in the <c>credits</c> container. Amounts are signed: grants add, charges
/// subtract, so the account's balance equals the sum of its entries once settlement completes.
/// </summary>
public sealed record LedgerEntryDocument
{
    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public string Type { get; init; } = "ledger";

    public required string Kind { get; init; }

    public required long Amount { get; init; }

    public string? EnrichmentId { get; init; }

    public string? Field { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The caller-visible credit figures of one organization.</summary>
public sealed record CreditBalance(string OrganizationId, long Balance, long Reserved, long Available);

/// <summary>Thrown when the available credits do not cover a reservation; nothing was reserved.</summary>
public sealed class InsufficientCreditsException(long available, long required)
    : Exception($"Insufficient credits: {required} required, {available} available.")
{
    public long Available { get; } = available;

    public long Required { get; } = required;
}
