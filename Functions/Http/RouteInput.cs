using Microsoft.AspNetCore.Http;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Functions.Http;

/// <summary>Validates route and query-string values shared by several routes.</summary>
public static class RouteInput
{
    public static string PersonId(string? personId) =>
        Identifiers.TryNormalizeUuid(personId)
        ?? throw ApiProblemException.Validation("personId", $"'{Shorten(personId)}' {Identifiers.UuidRule}.");

    /// <summary>Reads the person id from the route and the required <c>field</c> query parameter.</summary>
    public static (string PersonId, EnrichmentField Field) PersonAndField(HttpRequest request, string? personId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var id = Identifiers.TryNormalizeUuid(personId);
        if (id is null)
        {
            errors["personId"] = [$"'{Shorten(personId)}' {Identifiers.UuidRule}."];
        }

        var values = request.Query["field"];
        var field = default(EnrichmentField);
        if (values.Count == 0)
        {
            errors["field"] = ["The query parameter field is missing; add ?field=emails or ?field=phones."];
        }
        else if (values.Count > 1 || !EnrichmentFields.TryParse(values[0], out field))
        {
            errors["field"] = [$"The query parameter field must appear once and be 'emails' or 'phones', not '{Shorten(values.ToString())}'."];
        }

        if (errors.Count > 0)
        {
            throw ApiProblemException.Validation(errors);
        }

        return (id!, field);
    }

    /// <summary>Returns the value as sent, cut to its first 64 characters, for echoing in an error message.</summary>
    public static string Shorten(string? value)
    {
        if (value is null)
        {
            return "";
        }

        return value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 64), $"... ({value.Length} characters)");
    }
}
