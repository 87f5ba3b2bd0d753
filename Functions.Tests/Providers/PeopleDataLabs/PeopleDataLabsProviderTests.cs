using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Functions.Tests.Providers.Http;

namespace ContactEnrichment.Functions.Tests.Providers.PeopleDataLabs;

/// <summary>
/// The People Data Labs adapter against a stub that responds like the Person Enrichment API v5:
/// <c>{ "status", "likelihood", "data": { ... } }</c> on a match, and
/// <c>{ "status", "error": { "type", "message" } }</c> otherwise.
/// </summary>
public sealed class PeopleDataLabsProviderTests : HttpProviderContractTests
{
    private const string MatchBody = """
        {
          "status": 200,
          "likelihood": 9,
          "data": {
            "id": "qEnOZ5Oh0poWnQ1luFBfVw_0000",
            "full_name": "jane doe",
            "work_email": "Jane.Doe@Example.com",
            "emails": [
              { "address": "jane.doe@example.com", "type": "current_professional" },
              { "address": "jdoe@example.net", "type": "professional" },
              { "address": "jane.home@example.org", "type": "personal" },
              { "address": "temp@example.org", "type": "disposable" },
              { "address": "untyped@example.org", "type": null }
            ],
            "mobile_phone": "+14155550187",
            "phone_numbers": ["+14155550187", "+12025550143", "not a phone"],
            "personal_emails": ["jane.home@example.org"]
          }
        }
        """;

    protected override string ProviderName => "peopledatalabs";

    protected override string SettingsSection => "Providers:PeopleDataLabs";

    protected override string RequestPath => "/v5/person/enrich";

    protected override string ApiKeyHeader => "X-Api-Key";

    protected override string FoundBody => MatchBody;

    protected override string ExpectedEmail => "jane.doe@example.com";

    protected override int RateLimitStatus => 429;

    protected override string ErrorBody(int status, string type) =>
        $$"""{ "status": {{status}}, "error": { "type": "{{type}}", "message": "An error occurred" } }""";

    [Fact]
    public async Task FindAsync_Emails_KeepsWorkEmailsOnly()
    {
        Stub(200, MatchBody);
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(["jane.doe@example.com", "jdoe@example.net"], result.Data.Emails.Select(email => email.Address));
        Assert.Empty(result.Data.Phones);
    }

    [Fact]
    public async Task FindAsync_Phones_ReturnsMobileAndOtherNumbers()
    {
        Stub(200, MatchBody);
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery with { Field = EnrichmentField.Phones }, default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Equal(["+14155550187", "+12025550143"], result.Data.Phones.Select(phone => phone.Number));
        Assert.Empty(result.Data.Emails);
        Assert.Single(host.Logs.WithEventId(3019));
    }

    [Fact]
    public async Task FindAsync_EmailQuery_SendsDocumentedParameters()
    {
        Stub(200, MatchBody);
        var host = CreateHost(new() { ["Providers:PeopleDataLabs:MinLikelihood"] = "7" });

        await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        var query = Assert.Single(Server.LogEntries).RequestMessage.Query!;
        Assert.Equal("Jane", Assert.Single(query["first_name"]));
        Assert.Equal("Doe", Assert.Single(query["last_name"]));
        Assert.Equal("example.com", Assert.Single(query["company"]));
        Assert.Equal("linkedin.com/in/jane-doe-example", Assert.Single(query["profile"]));
        Assert.Equal("7", Assert.Single(query["min_likelihood"]));
        Assert.Equal("emails", Assert.Single(query["required"]));
        Assert.False(query.ContainsKey("name"));
    }

    [Fact]
    public async Task FindAsync_PhoneQueryWithFullNameOnly_SendsNameAndCompanyName()
    {
        Stub(200, MatchBody);
        var host = CreateHost();

        var phoneQuery = new ProviderQuery("Jane Doe", null, null, "Example Corp", null, null, EnrichmentField.Phones);
        await host.Provider(ProviderName).FindAsync(phoneQuery, default);

        var query = Assert.Single(Server.LogEntries).RequestMessage.Query!;
        Assert.Equal("Jane Doe", Assert.Single(query["name"]));
        Assert.Equal("Example Corp", Assert.Single(query["company"]));
        Assert.Equal("phone_numbers", Assert.Single(query["required"]));
        Assert.False(query.ContainsKey("profile"));
    }

    [Fact]
    public async Task FindAsync_NoCompanyOrProfile_NotFoundWithoutRequest()
    {
        Stub(200, MatchBody);
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(
            new ProviderQuery("Jane Doe", null, null, null, null, null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task FindAsync_EmptyData_NotFound()
    {
        Stub(200, """{ "status": 200, "likelihood": 8, "data": { "full_name": "jane doe", "emails": [], "work_email": null } }""");
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task FindAsync_LikelihoodBelowMinimum_NotFound()
    {
        Stub(200, MatchBody.Replace("\"likelihood\": 9", "\"likelihood\": 3", StringComparison.Ordinal));
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Single(host.Logs.WithEventId(3016));
    }

    [Fact]
    public async Task FindAsync_FreePlanBooleans_NotFoundAndWarns()
    {
        Stub(200, """{ "status": 200, "likelihood": 9, "data": { "work_email": true, "emails": true, "mobile_phone": false } }""");
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Single(host.Logs.WithEventId(3017));
    }

    [Theory]
    [InlineData(403, "PROVIDER_UNAUTHORIZED")]
    [InlineData(402, "PROVIDER_QUOTA_EXCEEDED")]
    [InlineData(400, "PROVIDER_BAD_REQUEST")]
    [InlineData(405, "PROVIDER_BAD_REQUEST")]
    public async Task FindAsync_ClientErrors_FailWithoutRetry(int status, string errorCode)
    {
        Stub(status, ErrorBody(status, "invalid_request_error"));
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(errorCode, result.ErrorCode);
        Assert.Contains($"HTTP {status}, invalid_request_error", result.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(Server.LogEntries);
    }

    [Fact]
    public void Supports_BothFields()
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?>());
        var provider = host.Provider(ProviderName);

        Assert.True(provider.Supports(EnrichmentField.Emails));
        Assert.True(provider.Supports(EnrichmentField.Phones));
    }
}
