using System.Text.Json;

namespace ContactEnrichment.DevHost.Catalog;

/// <summary>
/// Case-insensitive property lookups, because the Functions host reads host.json and
/// functions.metadata without regard to the case of property names.
/// </summary>
internal static class JsonProperties
{
    public static JsonElement? Find(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    public static string? GetString(JsonElement element, string name) =>
        Find(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
