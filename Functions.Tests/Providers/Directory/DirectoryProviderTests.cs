using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;
using Microsoft.Extensions.Logging;

namespace ContactEnrichment.Functions.Tests.Providers.Directory;

public sealed class DirectoryProviderTests : IDisposable
{
    private const string TwoPeople = """
        {
          "version": 1,
          "entries": [
            {
              "fullName": "Jane Doe",
              "companyDomain": "example.com",
              "linkedinUrl": "https://www.linkedin.com/in/jane-doe-example",
              "emails": [ { "address": "Jane.Doe@Example.com" } ],
              "phones": [
                { "number": "(202) 555-0143", "label": "Washington office" },
                { "number": "0491 570 006", "region": "AU" }
              ]
            },
            {
              "fullName": "Dr. José Núñez Jr.",
              "companyDomain": "https://www.example.org/team",
              "emails": [ { "address": "jose@example.org" } ],
              // Trailing commas and comments are allowed.
              "phones": [],
            }
          ]
        }
        """;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "directory-tests-" + Guid.NewGuid().ToString("N"));

    public DirectoryProviderTests() => System.IO.Directory.CreateDirectory(folder);

    private string FilePath => Path.Combine(folder, "directory.json");

    [Fact]
    public async Task FindAsync_NameAndDomain_FindsEmails()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query("JANE DOE", "www.example.com", null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        var email = Assert.Single(result.Data.Emails);
        Assert.Equal("jane.doe@example.com", email.Address);
        Assert.Equal("directory", email.Provider);
        Assert.Equal(ProviderTestHost.Start, email.FoundAt);
        Assert.Empty(result.Data.Phones);
    }

    [Fact]
    public async Task FindAsync_Phones_ReturnsE164WithLabels()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Phones), default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Empty(result.Data.Emails);
        Assert.Equal(["+12025550143", "+61491570006"], result.Data.Phones.Select(phone => phone.Number));
        Assert.Equal("Washington office", result.Data.Phones[0].Label);
        Assert.Equal("fixed_line_or_mobile", result.Data.Phones[0].LineType);
        Assert.Equal("mobile", result.Data.Phones[1].LineType);
    }

    [Fact]
    public async Task FindAsync_LinkedinOnly_Matches()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var query = Query("Someone Else", null, "http://de.linkedin.com/in/Jane-Doe-Example/?trk=x", EnrichmentField.Emails);
        var result = await Directory(host).FindAsync(query, default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Equal("jane.doe@example.com", Assert.Single(result.Data.Emails).Address);
    }

    [Fact]
    public async Task FindAsync_AccentsAndSuffixes_MatchNormalizedName()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query("Jose Nunez", "example.org", null, EnrichmentField.Emails), default);

        Assert.Equal("jose@example.org", Assert.Single(result.Data.Emails).Address);
    }

    [Fact]
    public async Task FindAsync_FirstAndLastNameOnly_Matches()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var query = new ProviderQuery("", "Jane", "Doe", null, "example.com", null, EnrichmentField.Emails);
        var result = await Directory(host).FindAsync(query, default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
    }

    [Fact]
    public async Task FindAsync_SameNameOtherLinkedin_NotFound()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var query = Query("Jane Doe", "example.com", "https://www.linkedin.com/in/another-jane", EnrichmentField.Emails);
        var result = await Directory(host).FindAsync(query, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
    }

    [Theory]
    [InlineData("Jane Doe", "example.org")]
    [InlineData("John Smith", "example.com")]
    [InlineData("Jane Doe", null)]
    public async Task FindAsync_NoMatch_NotFound(string fullName, string? domain)
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query(fullName, domain, null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.True(result.Data.IsEmpty);
    }

    [Fact]
    public async Task FindAsync_MatchWithoutFieldData_NotFound()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query("José Núñez", "example.org", null, EnrichmentField.Phones), default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task FindAsync_MissingFile_NotFoundAndLogsOnce()
    {
        using var host = CreateHost();

        var first = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);
        var second = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.NotFound, first.Outcome);
        Assert.Equal(ProviderOutcome.NotFound, second.Outcome);
        var warning = Assert.Single(host.Logs.WithEventId(3001));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(FilePath, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_FileCreatedLater_IsLoaded()
    {
        using var host = CreateHost();
        await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        File.WriteAllText(FilePath, TwoPeople);
        var result = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
    }

    [Theory]
    [InlineData("{ not json", "not a valid directory document")]
    [InlineData("""{ "version": 2, "entries": [] }""", "only version 1 is supported")]
    [InlineData("""{ "version": 1 }""", "entries")]
    [InlineData("""{ "version": 1, "entries": [ { "fullName": "A B", "phone": [] } ] }""", "phone")]
    [InlineData("""{ "version": 1, "entries": [ { "fullName": "  " } ] }""", "entry 0 has an empty \"fullName\"")]
    [InlineData("""{ "version": 1, "entries": [ { "companyDomain": "example.com" } ] }""", "fullName")]
    [InlineData("""{ "version": 1, "entries": [ { "fullName": "A B", "phones": [ { "number": null } ] } ] }""", "number")]
    [InlineData("null", "JSON literal null")]
    public async Task FindAsync_MalformedFile_FailsWithReason(string content, string reason)
    {
        File.WriteAllText(FilePath, content);
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(ProviderErrorCodes.BadConfiguration, result.ErrorCode);
        Assert.Contains(FilePath, result.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(reason, result.ErrorMessage, StringComparison.Ordinal);
        var error = Assert.Single(host.Logs.WithEventId(3002));
        Assert.Equal(LogLevel.Error, error.Level);
    }

    [Fact]
    public async Task FindAsync_InvalidJson_ReportsLinePosition()
    {
        File.WriteAllText(FilePath, "{\n  \"version\": 1,\n  \"entries\": [ oops ]\n}");
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Contains("LineNumber: 2", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_FileChanged_Reloads()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();
        var before = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        File.WriteAllText(FilePath, TwoPeople.Replace("Jane.Doe@Example.com", "jane@example.com", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(FilePath, File.GetLastWriteTimeUtc(FilePath).AddSeconds(5));
        var after = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Equal("jane.doe@example.com", Assert.Single(before.Data.Emails).Address);
        Assert.Equal("jane@example.com", Assert.Single(after.Data.Emails).Address);
        Assert.Equal(2, host.Logs.WithEventId(3003).Count);
    }

    [Fact]
    public async Task FindAsync_FileFixedAfterError_Recovers()
    {
        File.WriteAllText(FilePath, "{ broken");
        using var host = CreateHost();
        var broken = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        File.WriteAllText(FilePath, TwoPeople);
        var fixedResult = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.Failed, broken.Outcome);
        Assert.Equal(ProviderOutcome.Found, fixedResult.Outcome);
    }

    [Fact]
    public async Task FindAsync_UnchangedFile_LoadsOnce()
    {
        File.WriteAllText(FilePath, TwoPeople);
        using var host = CreateHost();

        for (var lookup = 0; lookup < 3; lookup++)
        {
            await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);
        }

        Assert.Single(host.Logs.WithEventId(3003));
    }

    [Fact]
    public async Task FindAsync_InvalidValues_SkippedAndLoggedWithoutValues()
    {
        File.WriteAllText(FilePath, """
            { "version": 1, "entries": [
              { "fullName": "Jane Doe", "companyDomain": "example.com",
                "emails": [ { "address": "not-an-email" }, { "address": "jane@example.com" } ],
                "phones": [ { "number": "555-0143" } ] } ] }
            """);
        using var host = CreateHost();

        var result = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Equal("jane@example.com", Assert.Single(result.Data.Emails).Address);
        var warning = Assert.Single(host.Logs.WithEventId(3004));
        Assert.DoesNotContain("not-an-email", warning.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("555-0143", warning.AllText, StringComparison.Ordinal);
        Assert.Contains("entry indexes: 0", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_RelativePath_ResolvesAgainstRepositoryRoot()
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?> { ["Providers:Directory:Path"] = "demo/directory.json" });

        var result = await Directory(host).FindAsync(Query("Jane Doe", "example.com", null, EnrichmentField.Emails), default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
    }

    public void Dispose() => System.IO.Directory.Delete(folder, recursive: true);

    private ProviderTestHost CreateHost() =>
        new(new Dictionary<string, string?> { ["Providers:Directory:Path"] = FilePath });

    private static IContactProvider Directory(ProviderTestHost host) => host.Provider("directory");

    private static ProviderQuery Query(string fullName, string? domain, string? linkedin, EnrichmentField field) =>
        new(fullName, null, null, null, domain, linkedin, field);
}
