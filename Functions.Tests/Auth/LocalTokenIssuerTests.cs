using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Auth;

namespace ContactEnrichment.Functions.Tests.Auth;

public sealed class LocalTokenIssuerTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider time = new(Now);

    private readonly AuthOptions options = new()
    {
        Issuer = "https://local.contact-enrichment.test/",
        Audience = "contact-enrichment-api",
        SigningKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        OrganizationClaim = "org_id",
    };

    [Fact]
    public void Issue_Token_CarriesClaimsAndTimes()
    {
        var token = new JsonWebToken(new LocalTokenIssuer(options, time).Issue("org_xyz789", "user_abc123"));

        Assert.Equal("HS256", token.Alg);
        Assert.Equal("user_abc123", token.Subject);
        Assert.Equal("org_xyz789", token.GetClaim("org_id").Value);
        Assert.Equal(options.Issuer, token.Issuer);
        Assert.Equal([options.Audience], token.Audiences);
        Assert.Equal(Now.UtcDateTime, token.IssuedAt);
        Assert.Equal(Now.UtcDateTime, token.ValidFrom);
        Assert.Equal(Now.UtcDateTime.AddMinutes(60), token.ValidTo);
    }

    [Fact]
    public async Task Issue_Token_PassesValidator()
    {
        var token = new LocalTokenIssuer(options, time).Issue("org_xyz789", "user_abc123", TimeSpan.FromMinutes(5));
        var validator = new BearerTokenValidator(Options.Create(options), time, NullLogger<BearerTokenValidator>.Instance);

        var caller = await validator.ValidateAsync($"Bearer {token}");

        Assert.Equal(new CallerIdentity("user_abc123", "org_xyz789"), caller);
    }

    [Fact]
    public async Task Issue_ExpiredToken_IsRejected()
    {
        var token = new LocalTokenIssuer(options, time).Issue("org_xyz789", "user_abc123", TimeSpan.FromMinutes(5));
        var validator = new BearerTokenValidator(Options.Create(options), time, NullLogger<BearerTokenValidator>.Instance);

        time.Advance(TimeSpan.FromMinutes(5) + options.ClockSkew + TimeSpan.FromSeconds(1));

        var problem = await Assert.ThrowsAsync<ApiProblemException>(() => validator.ValidateAsync($"Bearer {token}"));
        Assert.Equal(401, problem.Status);
    }

    [Fact]
    public void Issue_CustomOrganizationClaim_IsUsed()
    {
        options.OrganizationClaim = "tenant";

        var token = new JsonWebToken(new LocalTokenIssuer(options, time).Issue("org_1", "user_1"));

        Assert.Equal("org_1", token.GetClaim("tenant").Value);
        Assert.False(token.TryGetClaim("org_id", out _));
    }

    [Theory]
    [InlineData("not base64!", "not valid Base64")]
    [InlineData("c2hvcnQta2V5", "at least 32 bytes")]
    [InlineData("", "Auth:SigningKey is missing")]
    public void Constructor_BadSigningKey_IsRejected(string key, string expectedInMessage)
    {
        options.SigningKey = key;

        var error = Assert.Throws<InvalidOperationException>(() => new LocalTokenIssuer(options, time));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_NonPositiveLifetime_IsRejected()
    {
        var issuer = new LocalTokenIssuer(options, time);

        Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue("org_1", "user_1", TimeSpan.Zero));
    }
}
