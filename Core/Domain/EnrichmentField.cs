using System.Text.Json.Serialization;

namespace ContactEnrichment.Core.Domain;

/// <summary>The kind of contact data an enrichment looks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnrichmentField>))]
public enum EnrichmentField
{
    [JsonStringEnumMemberName("emails")]
    Emails,

    [JsonStringEnumMemberName("phones")]
    Phones,
}

public static class EnrichmentFields
{
    public const string Emails = "emails";
    public const string Phones = "phones";

    public static string ToWireName(this EnrichmentField field) =>
        field == EnrichmentField.Emails ? Emails : Phones;

    /// <summary>Parses the exact, case-sensitive wire name; anything else is invalid.</summary>
    public static bool TryParse(string? value, out EnrichmentField field)
    {
        switch (value)
        {
            case Emails:
                field = EnrichmentField.Emails;
                return true;
            case Phones:
                field = EnrichmentField.Phones;
                return true;
            default:
                field = default;
                return false;
        }
    }
}
