using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

[Collection(LocalStackDefinition.Name)]
public sealed class AuthenticationTests(LocalStackFixture stack) : IAsyncLifetime
{
    private RunningApp app = null!;

    private static DateTime Now => TimeProvider.System.GetUtcNow().UtcDateTime;

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    public static TheoryData<string> RejectedTokens => new()
    {
        "none", "malformed", "unsigned", "wrong key", "expired", "not yet valid", "wrong audience", "wrong issuer",
        "basic scheme", "bearer without token",
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Batch_InvalidToken_Returns401Unauthorized(string kind)
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, 100);

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/operations/enrichment/batch")
        {
            Content = new StringContent($"{{\"personIds\":[\"{ids[0]}\"],\"field\":\"emails\"}}", Encoding.UTF8, "application/json"),
        };
        var header = HeaderFor(kind, context);
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        using var response = await app.Client.SendAsync(request);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHORIZED", problem.GetProperty("code").GetString());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);
        if (kind == "expired")
        {
            Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Batch_NoAuthorizationHeader_ChallengesWithoutError()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/operations/enrichment/batch")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Batch_TokenWithoutExp_NamesMissingClaim()
    {
        var context = new ApiTestContext(stack, app);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = LocalStackFixture.Issuer,
            Audience = LocalStackFixture.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = context.UserId, ["org_id"] = context.OrgId },
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(stack.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/operations/credits/balance");
        request.Headers.Authorization = new("Bearer", token);

        using var response = await app.Client.SendAsync(request);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("no exp claim", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("org_id")]
    public async Task Batch_TokenWithoutIdClaim_Returns401ValidationError(string missingClaim)
    {
        var context = new ApiTestContext(stack, app);
        var claims = new Dictionary<string, object> { ["sub"] = context.UserId, ["org_id"] = context.OrgId };
        claims.Remove(missingClaim);

        using var response = await context.SendAsync(HttpMethod.Get, "api/v1/operations/credits/balance", null, Sign(claims, stack.SigningKey));
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(missingClaim, out _));
    }

    [Fact]
    public async Task Balance_ValidToken_ReturnsOwnFigures()
    {
        var context = new ApiTestContext(stack, app);
        await context.SeedPersonsAsync(0, 250);

        using var response = await context.SendAsync(HttpMethod.Get, "api/v1/operations/credits/balance", null);
        var balance = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(context.OrgId, balance.GetProperty("organizationId").GetString());
        Assert.Equal(250, balance.GetProperty("balance").GetInt64());
        Assert.Equal(0, balance.GetProperty("reserved").GetInt64());
        Assert.Equal(250, balance.GetProperty("available").GetInt64());
    }

    private string? HeaderFor(string kind, ApiTestContext context)
    {
        var claims = new Dictionary<string, object> { ["sub"] = context.UserId, ["org_id"] = context.OrgId };
        return kind switch
        {
            "none" => null,
            "malformed" => "Bearer not.a.jwt",
            "unsigned" => "Bearer " + Unsigned(claims),
            "wrong key" => "Bearer " + Sign(claims, Convert.ToBase64String(new byte[32])),
            "expired" => "Bearer " + Sign(claims, stack.SigningKey, expires: Now.AddHours(-1), notBefore: Now.AddHours(-2)),
            "not yet valid" => "Bearer " + Sign(claims, stack.SigningKey, expires: Now.AddHours(2), notBefore: Now.AddHours(1)),
            "wrong audience" => "Bearer " + Sign(claims, stack.SigningKey, audience: "another-api"),
            "wrong issuer" => "Bearer " + Sign(claims, stack.SigningKey, issuer: "https://issuer.invalid/"),
            "bearer without token" => "Bearer",
            _ => "Basic dXNlcjpwYXNz",
        };
    }

#pragma warning disable CA5404 // The tests build invalid tokens on purpose.
    private static string Sign(
        Dictionary<string, object> claims, string key, string audience = LocalStackFixture.Audience,
        string issuer = LocalStackFixture.Issuer, DateTime? expires = null, DateTime? notBefore = null)
#pragma warning restore CA5404
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = notBefore ?? Now.AddMinutes(-1),
            NotBefore = notBefore ?? Now.AddMinutes(-1),
            Expires = expires ?? Now.AddMinutes(30),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    private static string Unsigned(Dictionary<string, object> claims)
    {
        var payload = new Dictionary<string, object>(claims)
        {
            ["iss"] = LocalStackFixture.Issuer,
            ["aud"] = LocalStackFixture.Audience,
            ["exp"] = TimeProvider.System.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds(),
        };
        return Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(payload)) + ".";
    }
}
