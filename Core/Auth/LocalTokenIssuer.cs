using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactEnrichment.Core.Auth;

/// <summary>
/// Mints HS256 bearer tokens with the local symmetric key of <see cref="AuthOptions.SigningKey"/>,
/// so that local development and tests can call the API as a given user and organization.
/// Tokens carry <c>iss</c>, <c>aud</c>, <c>sub</c>, the organization claim, <c>iat</c>,
/// <c>nbf</c> and <c>exp</c>, which is what <see cref="BearerTokenValidator"/> checks.
/// </summary>
public sealed class LocalTokenIssuer
{
    /// <summary>Token lifetime when the caller gives none: 60 minutes.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(60);

    private readonly AuthOptions options;
    private readonly SigningCredentials credentials;
    private readonly TimeProvider timeProvider;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <exception cref="InvalidOperationException">
    /// The options lack an issuer, an audience or a signing key, or the key is not Base64 of at
    /// least 32 bytes (the minimum for HS256).
    /// </exception>
    public LocalTokenIssuer(AuthOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        RequireSetting(options.Issuer, "Auth:Issuer");
        RequireSetting(options.Audience, "Auth:Audience");
        RequireSetting(options.OrganizationClaim, "Auth:OrganizationClaim");
        RequireSetting(options.SigningKey, "Auth:SigningKey");

        this.options = options;
        this.timeProvider = timeProvider;
        credentials = new SigningCredentials(new SymmetricSecurityKey(DecodeKey(options.SigningKey!)), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>Creates a signed token for <paramref name="userId"/> in <paramref name="organizationId"/>.</summary>
    /// <param name="lifetime">Time until <c>exp</c>; <see cref="DefaultLifetime"/> when null.</param>
    public string Issue(string organizationId, string userId, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(organizationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var validFor = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero, nameof(lifetime));

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(validFor),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId,
                [options.OrganizationClaim] = organizationId,
            },
            SigningCredentials = credentials,
        };
        return handler.CreateToken(descriptor);
    }

    private static void RequireSetting(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{name} is missing; local tokens need it (see local.settings.sample.json).");
        }
    }

    private static byte[] DecodeKey(string key)
    {
        var buffer = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, buffer, out var length))
        {
            throw new InvalidOperationException("Auth:SigningKey is not valid Base64.");
        }

        if (length < 32)
        {
            throw new InvalidOperationException(
                $"Auth:SigningKey decodes to {length} bytes; HS256 needs at least 32 bytes (256 bits).");
        }

        return buffer[..length];
    }
}
