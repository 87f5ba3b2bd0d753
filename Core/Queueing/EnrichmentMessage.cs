using System.Text.Json;
using ContactEnrichment.Core.Serialization;

namespace ContactEnrichment.Core.Queueing;

/// <summary>The body of one queue message: it names one enrichment record and its organization.</summary>
public sealed record EnrichmentMessage(string EnrichmentId, string OrgId)
{
    public string ToJson() => JsonSerializer.Serialize(this, JsonDefaults.Options);

    /// <summary>Parses a message body; returns null when it is not JSON or lacks either id.</summary>
    public static EnrichmentMessage? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize<EnrichmentMessage>(body, JsonDefaults.Options);
            return message is { EnrichmentId.Length: > 0, OrgId.Length: > 0 } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
