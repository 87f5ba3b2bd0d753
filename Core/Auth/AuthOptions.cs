using System.ComponentModel.DataAnnotations;

namespace ContactEnrichment.Core.Auth;

/// <summary>Bearer token validation (settings section <c>Auth</c>).</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    /// <summary>Expected <c>iss</c> claim. With <see cref="Authority"/> set, the metadata's issuer is used when this is empty.</summary>
    public string? Issuer { get; set; }

    /// <summary>Expected <c>aud</c> claim.</summary>
    [Required]
    public string Audience { get; set; } = "";

    /// <summary>
    /// OpenID Connect issuer whose <c>/.well-known/openid-configuration</c> publishes the signing
    /// keys. Used in Azure; takes precedence over <see cref="SigningKey"/>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Base64 symmetric key (at least 256 bits) for HS256 tokens; local development and tests only.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim that carries the organization id.</summary>
    [Required]
    public string OrganizationClaim { get; set; } = "org_id";

    /// <summary>Allowed clock difference when checking token lifetimes.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(SigningKey))
        {
            yield return new ValidationResult("Set Auth:Authority (OpenID Connect issuer) or Auth:SigningKey (local development).",
                [nameof(Authority), nameof(SigningKey)]);
        }

        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(Issuer))
        {
            yield return new ValidationResult("Auth:Issuer is required with a local signing key.", [nameof(Issuer)]);
        }

        if (!string.IsNullOrWhiteSpace(SigningKey) && DecodedKeyLength(SigningKey) < 32)
        {
            yield return new ValidationResult("Auth:SigningKey must be Base64 of at least 32 bytes.", [nameof(SigningKey)]);
        }
    }

    private static int DecodedKeyLength(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var written) ? written : 0;
    }
}
