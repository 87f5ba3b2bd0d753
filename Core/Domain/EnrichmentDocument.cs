using System.Text.Json.Serialization;

namespace ContactEnrichment.Core.Domain;

/// <summary>The <c>error</c> member of a failed or timed-out enrichment.</summary>
public sealed record EnrichmentError(string Code, string Message);

/// <summary>
/// What processing found, stored on the record before credits are settled, so that a redelivered
/// message settles the same outcome instead of asking the providers again.
/// </summary>
public sealed record EnrichmentOutcome(bool DataFound, string? GlobalEnrichmentId, EnrichmentError? Error);

/// <summary>
/// An enrichment record as stored in the <c>enrichments</c> container (partition key
/// <c>/orgId</c>). The public fields are those of <see cref="EnrichmentRecord"/>; the rest drive
/// uniqueness, credits and recovery and never leave the service.
/// </summary>
public sealed record EnrichmentDocument
{
    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required string EntityId { get; init; }

    public string EntityType { get; init; } = "person";

    public required EnrichmentField Field { get; init; }

    public required EnrichmentStatus Status { get; init; }

    public EnrichmentError? Error { get; init; }

    public bool? DataFound { get; init; }

    public required string CreatedBy { get; init; }

    public string? GlobalEnrichmentId { get; init; }

    public string? CreditTransactionId { get; init; }

    /// <summary>
    /// <c>{field}:{personId}</c> while this is the person's latest record for the field, and
    /// <c>{field}:{personId}:{id}</c> once a newer record replaced it. A unique key on this path
    /// lets only one request create the latest record, however many race.
    /// </summary>
    public required string ActiveKey { get; init; }

    /// <summary>The credit hold this record's price is reserved under.</summary>
    public required string ReservationId { get; init; }

    /// <summary>The credits reserved for this record, charged only if data is found.</summary>
    public required int Price { get; init; }

    public EnrichmentOutcome? Outcome { get; init; }

    /// <summary>When a sweep last re-sent this record's queue message, if ever.</summary>
    public DateTimeOffset? RequeuedAt { get; init; }

    /// <summary>The Cosmos DB entity tag as read; never written back.</summary>
    [JsonPropertyName("_etag")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ETag { get; init; }

    public bool IsLatest => ActiveKey == LatestKey(Field, EntityId);

    public static string LatestKey(EnrichmentField field, string personId) => $"{field.ToWireName()}:{personId}";

    public EnrichmentRecord ToRecord() => new(
        Id, CreatedAt, UpdatedAt, EntityId, EntityType, Field, Status, Error, DataFound, CreatedBy, OrgId,
        GlobalEnrichmentId, CreditTransactionId);
}

/// <summary>The enrichment record the API returns: exactly these fields, in this order.</summary>
public sealed record EnrichmentRecord(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string EntityId,
    string EntityType,
    EnrichmentField Field,
    EnrichmentStatus Status,
    EnrichmentError? Error,
    bool? DataFound,
    string CreatedBy,
    string OrgId,
    string? GlobalEnrichmentId,
    string? CreditTransactionId);
