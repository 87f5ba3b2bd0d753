using System.Text.Json.Serialization;

namespace ContactEnrichment.Core.Domain;

[JsonConverter(typeof(JsonStringEnumConverter<EnrichmentStatus>))]
public enum EnrichmentStatus
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("finished")]
    Finished,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("timeout")]
    Timeout,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}

public static class EnrichmentStatuses
{
    public static bool IsTerminal(this EnrichmentStatus status) => status != EnrichmentStatus.Pending;

    public static string ToWireName(this EnrichmentStatus status) => status switch
    {
        EnrichmentStatus.Pending => "pending",
        EnrichmentStatus.Finished => "finished",
        EnrichmentStatus.Failed => "failed",
        EnrichmentStatus.Timeout => "timeout",
        _ => "cancelled",
    };
}
