using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Functions.Tests.Providers.Http;

namespace ContactEnrichment.Functions.Tests.Providers.Hunter;

/// <summary>
/// The Hunter adapter against a stub that responds like the Email Finder API v2:
/// <c>{ "data": { "email", "score", ... }, "meta": { ... } }</c>, and
/// <c>{ "errors": [ { "id", "code", "details" } ] }</c> on errors. For Hunter, 403 is the rate
/// limit and 429 the plan's usage limit.
/// </summary>
public sealed class HunterProviderTests : HttpProviderContractTests
{
    private const string MatchBody = """
        {
          "data": {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "Jane.Doe@Example.com",
            "score": 97,
            "domain": "example.com",
            "accept_all": false,
            "position": "Director",
            "twitter": null,
            "linkedin_url": null,
            "phone_number": "+1 202 555 0143",
            "company": "Example Corp",
            "sources": [],
            "verification": { "date": "2025-01-10", "status": "valid" }
          },
          "meta": { "params": { "first_name": "Jane", "last_name": "Doe", "full_name": null, "domain": "example.com", "company": null, "max_duration": null } }
        }
        """;

    protected override string ProviderName => "hunter";

    protected override string SettingsSection => "Providers:Hunter";

    protected override string RequestPath => "/v2/email-finder";

    protected override string ApiKeyHeader => "X-API-KEY";

    protected override string FoundBody => MatchBody;

    protected override string ExpectedEmail => "jane.doe@example.com";

    protected override int RateLimitStatus => 403;

    protected override string ErrorBody(int status, string type) =>
        $$"""{ "errors": [ { "id": "{{type}}", "code": {{status}}, "details": "Details about Jane Doe" } ] }""";

    [Fact]
    public async Task FindAsync_EmailQuery_SendsDocumentedParameters()
    {
        Stub(200, MatchBody);
        var host = CreateHost(new() { ["Providers:Hunter:MaxDurationSeconds"] = "5" });

        await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        var query = Assert.Single(Server.LogEntries).RequestMessage.Query!;
        Assert.Equal("example.com", Assert.Single(query["domain"]));
        Assert.Equal("Jane", Assert.Single(query["first_name"]));
        Assert.Equal("Doe", Assert.Single(query["last_name"]));
        Assert.Equal("jane-doe-example", Assert.Single(query["linkedin_handle"]));
        Assert.Equal("5", Assert.Single(query["max_duration"]));
        Assert.False(query.ContainsKey("full_name"));
        Assert.False(query.ContainsKey("company"));
        Assert.False(query.ContainsKey("api_key"));
    }

    [Fact]
    public async Task FindAsync_FullNameAndCompanyOnly_SendsThem()
    {
        Stub(200, MatchBody);
        var host = CreateHost();

        await host.Provider(ProviderName).FindAsync(
            new ProviderQuery("Jane Doe", null, null, "Example Corp", null, null, EnrichmentField.Emails), default);

        var query = Assert.Single(Server.LogEntries).RequestMessage.Query!;
        Assert.Equal("Jane Doe", Assert.Single(query["full_name"]));
        Assert.Equal("Example Corp", Assert.Single(query["company"]));
        Assert.False(query.ContainsKey("domain"));
        Assert.False(query.ContainsKey("max_duration"));
    }

    [Fact]
    public async Task FindAsync_Found_ReturnsEmailOnly()
    {
        Stub(200, MatchBody);
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal("jane.doe@example.com", Assert.Single(result.Data.Emails).Address);
        Assert.Empty(result.Data.Phones);
    }

    [Fact]
    public async Task FindAsync_NullEmail_NotFound()
    {
        Stub(200, """{ "data": { "first_name": "Jane", "last_name": "Doe", "email": null, "score": null }, "meta": {} }""");
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task FindAsync_ScoreBelowMinimum_NotFound()
    {
        Stub(200, MatchBody.Replace("\"score\": 97", "\"score\": 12", StringComparison.Ordinal));
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Single(host.Logs.WithEventId(3016));
    }

    [Fact]
    public async Task FindAsync_ClaimedEmail451_NotFoundWithoutRetry()
    {
        Stub(451, ErrorBody(451, "claimed_email"));
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Single(Server.LogEntries);
        Assert.Single(host.Logs.WithEventId(3018));
    }

    [Fact]
    public async Task FindAsync_UsageLimit429_FailsWithoutRetry()
    {
        Stub(429, ErrorBody(429, "too_many_requests"), retryAfter: "1");
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(ProviderErrorCodes.QuotaExceeded, result.ErrorCode);
        Assert.Single(Server.LogEntries);
    }

    [Fact]
    public async Task FindAsync_WrongParams400_FailsWithErrorId()
    {
        Stub(400, ErrorBody(400, "wrong_params"));
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderErrorCodes.BadRequest, result.ErrorCode);
        Assert.Contains("HTTP 400, wrong_params", result.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(Server.LogEntries);
    }

    [Fact]
    public async Task FindAsync_NoDomainCompanyOrHandle_NotFoundWithoutRequest()
    {
        Stub(200, MatchBody);
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(
            new ProviderQuery("Jane Doe", "Jane", "Doe", null, null, null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public void Supports_EmailsOnly()
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?>());
        var provider = host.Provider(ProviderName);

        Assert.True(provider.Supports(EnrichmentField.Emails));
        Assert.False(provider.Supports(EnrichmentField.Phones));
    }
}
