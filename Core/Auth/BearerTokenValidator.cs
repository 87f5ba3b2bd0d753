using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ContactEnrichment.Core.Api;

namespace ContactEnrichment.Core.Auth;

/// <summary>
/// Validates the <c>Authorization: Bearer</c> header: signature (keys from the OpenID Connect
/// metadata, or the local symmetric key), issuer, audience and lifetime. Unsigned tokens and
/// <c>alg: none</c> are rejected.
/// </summary>
public sealed partial class BearerTokenValidator
{
    private const int MaxIdLength = 128;

    private readonly AuthOptions options;
    private readonly TokenValidationParameters parameters;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    private readonly ILogger<BearerTokenValidator> logger;

    public BearerTokenValidator(IOptions<AuthOptions> options, TimeProvider timeProvider, ILogger<BearerTokenValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.logger = logger;
        parameters = CreateParameters(this.options, timeProvider);
    }

    /// <summary>Returns the caller of a request with this header value.</summary>
    /// <exception cref="ApiProblemException">401 when the token is missing or invalid, or lacks an id.</exception>
    public async Task<CallerIdentity> ValidateAsync(string? authorizationHeader)
    {
        var token = ReadBearerToken(authorizationHeader);
        var result = await handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            Log.TokenRejected(logger, result.Exception?.GetType().Name ?? "unknown");
            throw Unauthorized(DescribeFailure(result.Exception));
        }

        var errors = new Dictionary<string, string[]>();
        var userId = ReadIdClaim(result.Claims, JwtRegisteredClaimNames.Sub, "user id", errors);
        var orgId = ReadIdClaim(result.Claims, options.OrganizationClaim, "organization id", errors);
        if (errors.Count > 0)
        {
            throw new ApiProblemException(401, ProblemCodes.ValidationError, "The token lacks a required claim.",
                "The bearer token is valid but does not identify both a user and an organization.", errors);
        }

        return new CallerIdentity(userId!, orgId!);
    }

    private static string ReadBearerToken(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            throw Unauthorized("The Authorization header is missing; send 'Authorization: Bearer <token>'.");
        }

        var parts = header.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (!parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw Unauthorized("The Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'.");
        }

        if (parts.Length != 2)
        {
            throw Unauthorized("The Authorization header has no token after 'Bearer'.");
        }

        return parts[1].Trim();
    }

    private static string? ReadIdClaim(
        IDictionary<string, object> claims, string claim, string meaning, Dictionary<string, string[]> errors)
    {
        if (!claims.TryGetValue(claim, out var raw) || raw is null)
        {
            errors[claim] = [$"The token has no '{claim}' claim ({meaning})."];
            return null;
        }

        if (raw is not string value || value.Length is 0 or > MaxIdLength || !IdPattern().IsMatch(value))
        {
            errors[claim] = [$"The '{claim}' claim ({meaning}) must be a string of 1 to {MaxIdLength} letters, digits, '-', '_', '.', '@' or '|'."];
            return null;
        }

        return value;
    }

    private static string DescribeFailure(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException expired =>
            $"The bearer token expired at {expired.Expires:yyyy-MM-dd'T'HH:mm:ss'Z'}; request a new token.",
        SecurityTokenNotYetValidException notYet =>
            $"The bearer token is not valid before {notYet.NotBefore:yyyy-MM-dd'T'HH:mm:ss'Z'}.",
        SecurityTokenNoExpirationException or SecurityTokenInvalidLifetimeException { Expires: null } =>
            "The bearer token has no exp claim; tokens without an expiry are rejected.",
        SecurityTokenInvalidLifetimeException =>
            "The bearer token has expired or is not valid yet (see its exp and nbf claims); request a new token.",
        SecurityTokenInvalidAudienceException => "The bearer token was issued for another audience.",
        SecurityTokenInvalidIssuerException => "The bearer token was issued by an untrusted issuer.",
        SecurityTokenMalformedException or ArgumentException => "The bearer token is not a well-formed JWT.",
        SecurityTokenInvalidAlgorithmException or SecurityTokenInvalidSignatureException
            or SecurityTokenSignatureKeyNotFoundException =>
            "The bearer token's signature is missing or invalid; unsigned tokens and unknown keys are rejected.",
        _ => "The bearer token is invalid: its signature, issuer, audience or lifetime failed validation.",
    };

    private static ApiProblemException Unauthorized(string detail) =>
        new(401, ProblemCodes.Unauthorized, "Authentication failed.", detail);

    private static TokenValidationParameters CreateParameters(AuthOptions options, TimeProvider timeProvider)
    {
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = string.IsNullOrWhiteSpace(options.Issuer) ? null : options.Issuer,
            ValidateAudience = true,
            ValidAudience = options.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = options.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, validation) =>
                IsWithinLifetime(timeProvider.GetUtcNow().UtcDateTime, notBefore, expires, validation.ClockSkew),
        };

        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            var metadataAddress = options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadataAddress, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
            parameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];
        }
        else
        {
            parameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(options.SigningKey!));
            parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        return parameters;
    }

    private static bool IsWithinLifetime(DateTime now, DateTime? notBefore, DateTime? expires, TimeSpan skew) =>
        expires is not null && now <= expires.Value.Add(skew) && (notBefore is null || now >= notBefore.Value.Subtract(skew));

    [GeneratedRegex("^[A-Za-z0-9._@|-]+$")]
    private static partial Regex IdPattern();

    private static partial class Log
    {
        [LoggerMessage(2001, LogLevel.Information, "Rejected a bearer token: {Reason}")]
        public static partial void TokenRejected(ILogger logger, string reason);
    }
}
