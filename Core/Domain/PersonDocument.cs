namespace ContactEnrichment.Core.Domain;

/// <summary>
/// A person of one organization, stored in the <c>persons</c> container under the
/// organization's partition, with the contact data found for it so far.
/// </summary>
public sealed record PersonDocument
{
    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public required string FullName { get; init; }

    public string? CompanyName { get; init; }

    /// <summary>The company's web domain, lower case, without scheme or <c>www.</c>.</summary>
    public string? CompanyDomain { get; init; }

    public string? LinkedinUrl { get; init; }

    public string? Title { get; init; }

    public string? Location { get; init; }

    public IReadOnlyDictionary<string, string> ExternalIds { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ContactEmail> Emails { get; init; } = [];

    public IReadOnlyList<ContactPhone> Phones { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The entity tag of the stored version this was read from; null on documents built in code.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("_etag")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ETag { get; init; }
}
