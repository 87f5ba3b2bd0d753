using System.Text.RegularExpressions;

namespace ContactEnrichment.Core.Api;

public static partial class Identifiers
{
    public const string UuidRule =
        "must be a UUID in canonical 8-4-4-4-12 hexadecimal form without braces, prefix or whitespace, and not the nil UUID";

    /// <summary>
    /// Returns the lower-case UUID when <paramref name="value"/> is one in canonical form. Every
    /// RFC 9562 version is accepted (the documented example uses a version 1 id); braces, a
    /// <c>urn:uuid:</c> prefix, missing hyphens, whitespace and the nil UUID are not.
    /// </summary>
    public static string? TryNormalizeUuid(string? value)
    {
        if (value is null || !CanonicalUuid().IsMatch(value))
        {
            return null;
        }

        var normalized = value.ToLowerInvariant();
        return normalized == "00000000-0000-0000-0000-000000000000" ? null : normalized;
    }

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z")]
    private static partial Regex CanonicalUuid();
}
