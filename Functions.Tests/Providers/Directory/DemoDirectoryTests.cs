using System.Text.Json;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;

namespace ContactEnrichment.Functions.Tests.Providers.Directory;

/// <summary>Checks the shipped demo/directory.json against what the demo relies on.</summary>
public sealed class DemoDirectoryTests
{
    private static readonly string[] DemoDomains = ["example.com", "example.org", "example.net"];

    [Theory]
    [InlineData(EnrichmentField.Emails)]
    [InlineData(EnrichmentField.Phones)]
    public async Task Demo_JaneDoe_HasFieldByNameAndByLinkedin(EnrichmentField field)
    {
        using var host = CreateHost();
        var provider = host.Provider("directory");

        var byName = await provider.FindAsync(new ProviderQuery("Jane Doe", "Jane", "Doe", null, "example.com", null, field), default);
        var byLinkedin = await provider.FindAsync(
            new ProviderQuery("Jane Doe", null, null, null, null, "https://www.linkedin.com/in/jane-doe-example", field), default);

        Assert.Equal(ProviderOutcome.Found, byName.Outcome);
        Assert.Equal(ProviderOutcome.Found, byLinkedin.Outcome);
        Assert.False(byName.Data.For(field).IsEmpty);
    }

    [Theory]
    [InlineData(EnrichmentField.Emails)]
    [InlineData(EnrichmentField.Phones)]
    public async Task Demo_JohnSmithAtExampleOrg_NotFound(EnrichmentField field)
    {
        using var host = CreateHost();

        var result = await host.Provider("directory").FindAsync(
            new ProviderQuery("John Smith", "John", "Smith", null, "example.org", null, field), default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task Demo_AllValues_PassNormalization()
    {
        using var host = CreateHost();

        await host.Provider("directory").FindAsync(
            new ProviderQuery("Jane Doe", null, null, null, "example.com", null, EnrichmentField.Emails), default);

        Assert.Single(host.Logs.WithEventId(3003));
        Assert.Empty(host.Logs.WithEventId(3004));
    }

    [Fact]
    public void Demo_Entries_AreFictionalPeopleAtExampleDomains()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DemoPath()), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var entries = document.RootElement.GetProperty("entries").EnumerateArray().ToList();

        Assert.InRange(entries.Count, 11, 20);
        foreach (var entry in entries)
        {
            var domain = IdentityNormalizer.NormalizeDomain(entry.GetProperty("companyDomain").GetString());
            Assert.Contains(domain, DemoDomains);
            foreach (var email in entry.GetProperty("emails").EnumerateArray())
            {
                var address = ContactNormalizer.NormalizeEmailAddress(email.GetProperty("address").GetString());
                Assert.NotNull(address);
                Assert.Contains(address[(address.IndexOf('@', StringComparison.Ordinal) + 1)..], DemoDomains);
            }
        }
    }

    private static ProviderTestHost CreateHost() =>
        new(new Dictionary<string, string?> { ["Providers:Directory:Path"] = DemoPath() });

    private static string DemoPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ContactEnrichment.sln")))
            {
                return Path.Combine(folder.FullName, "demo", "directory.json");
            }
        }

        throw new InvalidOperationException("The repository root with ContactEnrichment.sln was not found above the test binaries.");
    }
}
