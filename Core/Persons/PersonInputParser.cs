using System.Text.Json;
using System.Text.RegularExpressions;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Enrichment;

namespace ContactEnrichment.Core.Persons;

/// <summary>One person as a caller sends it; the id is the caller's, a UUID.</summary>
public sealed record PersonInput(
    string Id,
    string? FirstName,
    string? LastName,
    string FullName,
    string? CompanyName,
    string? CompanyDomain,
    string? LinkedinUrl,
    string? Title,
    string? Location,
    IReadOnlyDictionary<string, string> ExternalIds);

/// <summary>Validates the body of <c>POST /entities/persons</c>: <c>{ "persons": [ ... ] }</c>.</summary>
public static partial class PersonInputParser
{
    public const int MaxPersons = 1000;
    public const int MaxTextLength = 300;
    public const int MaxExternalIds = 20;

    public static IReadOnlyList<PersonInput> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiProblemException.Validation("body", $"The body must be a JSON object, not {BatchRequestParser.Describe(body.ValueKind)}.");
        }

        if (!body.TryGetProperty("persons", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw ApiProblemException.Validation("persons", $"persons is required: an array of 1 to {MaxPersons} person objects.");
        }

        var count = array.GetArrayLength();
        if (count is 0 or > MaxPersons)
        {
            throw ApiProblemException.Validation("persons", $"persons must contain 1 to {MaxPersons} items; it contains {count}.");
        }

        var errors = new Dictionary<string, string[]>();
        var persons = new List<PersonInput>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"persons[{index++}]";
            var person = ParsePerson(item, path, errors);
            if (person is not null && !seen.Add(person.Id))
            {
                errors[$"{path}.id"] = [$"'{person.Id}' appears more than once in this request; send each person once."];
            }
            else if (person is not null)
            {
                persons.Add(person);
            }
        }

        if (errors.Count > 0)
        {
            throw ApiProblemException.Validation(errors);
        }

        return persons;
    }

    private static PersonInput? ParsePerson(JsonElement item, string path, Dictionary<string, string[]> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors[path] = [$"Each person must be an object, not {BatchRequestParser.Describe(item.ValueKind)}."];
            return null;
        }

        var before = errors.Count;
        var idText = Text(item, "id", path, errors);
        var id = idText is null ? null : Identifiers.TryNormalizeUuid(idText);
        if (id is null && !errors.ContainsKey($"{path}.id"))
        {
            errors[$"{path}.id"] = [idText is null ? "id is required: the person's UUID." : $"'{idText}' {Identifiers.UuidRule}."];
        }

        var firstName = Text(item, "firstName", path, errors);
        var lastName = Text(item, "lastName", path, errors);
        var fullName = Text(item, "fullName", path, errors) ?? JoinName(firstName, lastName);
        if (fullName is null && !errors.ContainsKey($"{path}.fullName"))
        {
            errors[$"{path}.fullName"] = ["fullName is required, or firstName and lastName."];
        }

        var domain = Text(item, "companyDomain", path, errors);
        var normalizedDomain = domain is null ? null : NormalizeDomain(domain);
        if (domain is not null && normalizedDomain is null)
        {
            errors[$"{path}.companyDomain"] = [$"'{domain}' must be a domain name such as example.com, without scheme or path."];
        }

        var linkedin = Text(item, "linkedinUrl", path, errors);
        if (linkedin is not null && !IsLinkedinUrl(linkedin))
        {
            errors[$"{path}.linkedinUrl"] = [$"'{linkedin}' must be an http(s) URL on linkedin.com."];
        }

        var externalIds = ExternalIds(item, path, errors);
        var companyName = Text(item, "companyName", path, errors);
        var title = Text(item, "title", path, errors);
        var location = Text(item, "location", path, errors);
        if (errors.Count > before)
        {
            return null;
        }

        return new PersonInput(id!, firstName, lastName, fullName!, companyName, normalizedDomain, linkedin, title, location, externalIds);
    }

    private static string? Text(JsonElement item, string name, string path, Dictionary<string, string[]> errors)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[$"{path}.{name}"] = [$"{name} must be a string, not {BatchRequestParser.Describe(value.ValueKind)}."];
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length > MaxTextLength || text.Any(char.IsControl))
        {
            errors[$"{path}.{name}"] = [$"{name} must be at most {MaxTextLength} characters without control characters."];
            return null;
        }

        return text.Length == 0 ? null : text;
    }

    private static Dictionary<string, string> ExternalIds(JsonElement item, string path, Dictionary<string, string[]> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!item.TryGetProperty("externalIds", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        var valid = value.ValueKind == JsonValueKind.Object;
        foreach (var property in valid ? value.EnumerateObject() : default)
        {
            valid &= property.Value.ValueKind == JsonValueKind.String && property.Name.Length is > 0 and <= 64 &&
                property.Value.GetString()!.Length <= MaxTextLength;
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : "";
        }

        if (!valid || result.Count > MaxExternalIds)
        {
            errors[$"{path}.externalIds"] =
                [$"externalIds must be an object of at most {MaxExternalIds} string values, with names of 1 to 64 characters."];
        }

        return result;
    }

    private static string? JoinName(string? firstName, string? lastName) =>
        firstName is null || lastName is null ? null : $"{firstName} {lastName}";

    private static string? NormalizeDomain(string domain)
    {
        var lower = domain.ToLowerInvariant();
        lower = lower.StartsWith("www.", StringComparison.Ordinal) ? lower[4..] : lower;
        return DomainPattern().IsMatch(lower) ? lower : null;
    }

    private static bool IsLinkedinUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) &&
        (uri.Host.Equals("linkedin.com", StringComparison.OrdinalIgnoreCase) ||
            uri.Host.EndsWith(".linkedin.com", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$")]
    private static partial Regex DomainPattern();
}
