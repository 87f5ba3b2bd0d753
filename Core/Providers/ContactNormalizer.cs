using System.Globalization;
using System.Net.Mail;
using ContactEnrichment.Core.Domain;
using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace ContactEnrichment.Core.Providers;

/// <summary>An email address as a provider returned it, before normalization.</summary>
public sealed record RawEmail(string? Address);

/// <summary>
/// A phone number as a provider returned it, before normalization. <paramref name="Region"/>
/// is the ISO 3166-1 region to read a number without a country code in; null means the
/// configured default region.
/// </summary>
public sealed record RawPhone(string? Number, string? Region = null, string? Label = null);

/// <summary>
/// Converts provider responses into <see cref="ContactData"/>: phones in E.164 with a line type,
/// emails lower-cased and syntax-checked, duplicates removed, each value stamped with the
/// provider name and the time it was found.
/// </summary>
public sealed class ContactNormalizer(IOptions<ProvidersOptions> options, TimeProvider timeProvider)
{
    private const int MaxEmailLength = 254;
    private const int MaxLocalPartLength = 64;

    private static readonly PhoneNumberUtil PhoneNumbers = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Normalizes the values one provider returned. Invalid values are dropped; the counts of
    /// dropped values are in the result so that the caller can log them without the values.
    /// </summary>
    public NormalizedContacts Normalize(string provider, IEnumerable<RawEmail> emails, IEnumerable<RawPhone> phones)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(emails);
        ArgumentNullException.ThrowIfNull(phones);

        var foundAt = timeProvider.GetUtcNow();
        var (normalizedEmails, invalidEmails) = NormalizeEmails(provider, foundAt, emails);
        var (normalizedPhones, invalidPhones) = NormalizePhones(provider, foundAt, phones);
        return new NormalizedContacts(new ContactData(normalizedEmails, normalizedPhones), invalidEmails, invalidPhones);
    }

    /// <summary>
    /// Returns the normalized form of an email address (trimmed, lower-case, with an ASCII
    /// domain), or null when it is not a plain address.
    /// </summary>
    /// <remarks>
    /// Besides what <see cref="MailAddress"/> accepts, the address must have exactly one
    /// <c>@</c>, no display name, angle brackets, quotes or whitespace, a local part of 1 to 64
    /// characters without leading, trailing or doubled dots, and a domain that
    /// <see cref="IdentityNormalizer.IsValidDomain"/> accepts (so it has at least one dot).
    /// </remarks>
    public static string? NormalizeEmailAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var candidate = address.Trim().ToLowerInvariant();
        if (candidate.Length > MaxEmailLength || candidate.Any(IsForbiddenEmailCharacter))
        {
            return null;
        }

        var at = candidate.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != candidate.LastIndexOf('@'))
        {
            return null;
        }

        var localPart = candidate[..at];
        var domain = AsciiDomainOf(candidate[(at + 1)..]);
        if (!IsValidLocalPart(localPart) || domain is null || !IdentityNormalizer.IsValidDomain(domain))
        {
            return null;
        }

        var normalized = $"{localPart}@{domain}";
        return MailAddress.TryCreate(normalized, out var parsed)
            && parsed.Address == normalized
            && parsed.DisplayName.Length == 0
                ? normalized
                : null;
    }

    /// <summary>
    /// Parses a phone number written in any common format. Returns its E.164 form and line type,
    /// or null when libphonenumber cannot parse it or says it is not a valid number. An
    /// extension is dropped.
    /// </summary>
    public PhoneNormalization? NormalizePhoneNumber(string? number, string? region = null)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return null;
        }

        PhoneNumber parsed;
        try
        {
            parsed = PhoneNumbers.Parse(number, region ?? options.Value.DefaultPhoneRegion);
        }
        catch (NumberParseException)
        {
            return null;
        }

        if (!PhoneNumbers.IsValidNumber(parsed))
        {
            return null;
        }

        // The E.164 format has no place for an extension, so formatting drops it.
        var e164 = PhoneNumbers.Format(parsed, PhoneNumberFormat.E164);
        return new PhoneNormalization(e164, LineTypeName(PhoneNumbers.GetNumberType(parsed)));
    }

    /// <summary>
    /// Maps libphonenumber's number type to the stored line type name (<c>mobile</c>,
    /// <c>fixed_line</c>, <c>fixed_line_or_mobile</c>, <c>toll_free</c>, <c>premium_rate</c>,
    /// <c>shared_cost</c>, <c>voip</c>, <c>personal_number</c>, <c>pager</c>, <c>uan</c>,
    /// <c>voicemail</c>), or null when the type is unknown.
    /// </summary>
    public static string? LineTypeName(PhoneNumberType type) => type switch
    {
        PhoneNumberType.FIXED_LINE => "fixed_line",
        PhoneNumberType.MOBILE => "mobile",
        PhoneNumberType.FIXED_LINE_OR_MOBILE => "fixed_line_or_mobile",
        PhoneNumberType.TOLL_FREE => "toll_free",
        PhoneNumberType.PREMIUM_RATE => "premium_rate",
        PhoneNumberType.SHARED_COST => "shared_cost",
        PhoneNumberType.VOIP => "voip",
        PhoneNumberType.PERSONAL_NUMBER => "personal_number",
        PhoneNumberType.PAGER => "pager",
        PhoneNumberType.UAN => "uan",
        PhoneNumberType.VOICEMAIL => "voicemail",
        _ => null,
    };

    private static (List<ContactEmail> Emails, int Invalid) NormalizeEmails(
        string provider, DateTimeOffset foundAt, IEnumerable<RawEmail> emails)
    {
        var normalized = new List<ContactEmail>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invalid = 0;
        foreach (var email in emails)
        {
            var address = NormalizeEmailAddress(email.Address);
            if (address is null)
            {
                invalid++;
            }
            else if (seen.Add(address))
            {
                normalized.Add(new ContactEmail(address, provider, foundAt));
            }
        }

        return (normalized, invalid);
    }

    private (List<ContactPhone> Phones, int Invalid) NormalizePhones(
        string provider, DateTimeOffset foundAt, IEnumerable<RawPhone> phones)
    {
        var normalized = new List<ContactPhone>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invalid = 0;
        foreach (var phone in phones)
        {
            var parsed = NormalizePhoneNumber(phone.Number, phone.Region);
            if (parsed is null)
            {
                invalid++;
            }
            else if (seen.Add(parsed.E164))
            {
                var label = string.IsNullOrWhiteSpace(phone.Label) ? null : phone.Label.Trim();
                normalized.Add(new ContactPhone(parsed.E164, parsed.LineType, provider, foundAt) { Label = label });
            }
        }

        return (normalized, invalid);
    }

    private static bool IsForbiddenEmailCharacter(char character) =>
        char.IsWhiteSpace(character) || char.IsControl(character) || character is '<' or '>' or '"' or '(' or ')' or ',' or ';' or '[' or ']' or '\\';

    private static bool IsValidLocalPart(string localPart) =>
        localPart.Length is > 0 and <= MaxLocalPartLength
        && localPart[0] != '.'
        && localPart[^1] != '.'
        && !localPart.Contains("..", StringComparison.Ordinal);

    // Unlike IdentityNormalizer.NormalizeDomain this keeps "www." and rejects a trailing dot:
    // for an email address those are part of the address.
    private static string? AsciiDomainOf(string domain)
    {
        if (domain.Length == 0 || domain.EndsWith('.'))
        {
            return null;
        }

        try
        {
            return new IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>A phone number in E.164 form with its line type, null when unknown.</summary>
public sealed record PhoneNormalization(string E164, string? LineType);

/// <summary>Normalized contact data plus how many input values were dropped as invalid.</summary>
public sealed record NormalizedContacts(ContactData Data, int InvalidEmails, int InvalidPhones);
