using System.Text.Json;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>A valid batch request: distinct lower-case person ids in request order.</summary>
public sealed record BatchRequest(IReadOnlyList<string> PersonIds, EnrichmentField Field, bool DryRun);

/// <summary>
/// Validates the body of <c>POST /operations/enrichment/batch</c> and collects every invalid
/// member, so that one response names all of them. Unknown members are ignored.
/// </summary>
public static class BatchRequestParser
{
    public const int MaxPersonIds = 100;

    public static BatchRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiProblemException.Validation("body", $"The body must be a JSON object, not {Describe(body.ValueKind)}.");
        }

        var errors = new Dictionary<string, string[]>();
        var personIds = ReadPersonIds(body, errors);
        var field = ReadField(body, errors);
        var dryRun = ReadDryRun(body, errors);
        if (errors.Count > 0)
        {
            throw ApiProblemException.Validation(errors);
        }

        return new BatchRequest(personIds, field, dryRun);
    }

    /// <summary>Reads the required <c>field</c> member: exactly <c>emails</c> or <c>phones</c>.</summary>
    public static EnrichmentField ReadField(JsonElement body, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!body.TryGetProperty("field", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors["field"] = ["field is required: 'emails' or 'phones'."];
            return default;
        }

        if (value.ValueKind != JsonValueKind.String || !EnrichmentFields.TryParse(value.GetString(), out var field))
        {
            errors["field"] = [$"field must be 'emails' or 'phones' (lower case), not {Quote(value)}."];
            return default;
        }

        return field;
    }

    /// <summary>Reads the optional <c>dryRun</c> member, a JSON boolean.</summary>
    public static bool ReadDryRun(JsonElement body, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!body.TryGetProperty("dryRun", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors["dryRun"] = [$"dryRun must be true or false, not {Quote(value)}."];
            return false;
        }

        return value.GetBoolean();
    }

    private static List<string> ReadPersonIds(JsonElement body, Dictionary<string, string[]> errors)
    {
        var ids = new List<string>();
        if (!body.TryGetProperty("personIds", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            errors["personIds"] = [$"personIds is required: an array of 1 to {MaxPersonIds} person ids."];
            return ids;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors["personIds"] = [$"personIds must be an array of person ids, not {Describe(array.ValueKind)}."];
            return ids;
        }

        var count = array.GetArrayLength();
        if (count is 0 or > MaxPersonIds)
        {
            errors["personIds"] = [$"personIds must contain 1 to {MaxPersonIds} ids; it contains {count}."];
            return ids;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var normalized = item.ValueKind == JsonValueKind.String ? Identifiers.TryNormalizeUuid(item.GetString()) : null;
            if (normalized is null)
            {
                errors[$"personIds[{index}]"] = [$"{Quote(item)} {Identifiers.UuidRule}."];
            }
            else if (seen.Add(normalized))
            {
                ids.Add(normalized);
            }

            index++;
        }

        return ids;
    }

    /// <summary>Quotes a value for an error message, shortened so that a huge value cannot flood it.</summary>
    public static string Quote(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : value.GetRawText();
        return text.Length > 80 ? string.Concat(text.AsSpan(0, 77), "...") : text;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };
}
