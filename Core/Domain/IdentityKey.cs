using System.Security.Cryptography;
using System.Text;

namespace ContactEnrichment.Core.Domain;

/// <summary>How an <see cref="IdentityKey"/> was derived.</summary>
public enum IdentityKeyKind
{
    /// <summary>The canonical LinkedIn profile URL, such as <c>linkedin.com/in/jane-doe</c>.</summary>
    Linkedin,

    /// <summary>The normalized full name plus the company domain, such as <c>name:jane doe|example.com</c>.</summary>
    NameAndDomain,
}

/// <summary>
/// The normalized key that matches one person across organizations. It is built only from
/// identity data (LinkedIn URL, name, company domain) and never from organization, user or
/// person ids, so a global result stored under it cannot point back at whoever caused it.
/// </summary>
public sealed record IdentityKey(IdentityKeyKind Kind, string Value)
{
    private const string NameKeyPrefix = "name:";

    /// <summary>
    /// Builds the key for a person: the canonical LinkedIn URL when <paramref name="linkedinUrl"/>
    /// is a LinkedIn profile URL, otherwise the normalized full name plus the normalized company
    /// domain. Returns null when neither is available.
    /// </summary>
    public static IdentityKey? From(string? linkedinUrl, string? fullName, string? companyDomain)
    {
        var canonicalUrl = IdentityNormalizer.CanonicalLinkedinUrl(linkedinUrl);
        if (canonicalUrl is not null)
        {
            return new IdentityKey(IdentityKeyKind.Linkedin, canonicalUrl);
        }

        var name = IdentityNormalizer.NormalizeName(fullName);
        var domain = IdentityNormalizer.NormalizeDomain(companyDomain);
        if (name.Length == 0 || domain is null)
        {
            return null;
        }

        return new IdentityKey(IdentityKeyKind.NameAndDomain, $"{NameKeyPrefix}{name}|{domain}");
    }

    /// <summary>Builds the key for a stored person; see <see cref="From(string?, string?, string?)"/>.</summary>
    public static IdentityKey? From(PersonDocument person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return From(person.LinkedinUrl, person.FullName, person.CompanyDomain);
    }

    /// <summary>
    /// Returns the id of the global result for this key and <paramref name="field"/>: the lower-case
    /// hex SHA-256 of <c>field|key</c>, for example of <c>emails|linkedin.com/in/jane-doe</c>.
    /// The same person and field always give the same id, and the id reveals nothing else.
    /// </summary>
    public string GlobalResultId(EnrichmentField field)
    {
        var input = $"{field.ToWireName()}|{Value}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        return Convert.ToHexStringLower(hash);
    }

    public override string ToString() => Value;
}
