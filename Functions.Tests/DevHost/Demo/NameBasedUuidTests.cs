using ContactEnrichment.DevHost.Demo;

namespace ContactEnrichment.Functions.Tests.DevHost.Demo;

public sealed class NameBasedUuidTests
{
    private static readonly Guid DnsNamespace = new("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    private static readonly Guid UrlNamespace = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    [Fact]
    public void Create_DnsName_MatchesKnownVector()
    {
        // Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") gives this value.
        Assert.Equal("886313e1-3b8a-5372-9b90-0c9aee199e5d", NameBasedUuid.Create(DnsNamespace, "python.org"));
    }

    [Fact]
    public void Create_PersonIdNamespace_IsDerivedFromItsUrl()
    {
        var derived = NameBasedUuid.Create(UrlNamespace, "https://github.com/unitedstates/congress-legislators#bioguide");

        Assert.Equal(CongressData.PersonIdNamespace.ToString(), derived);
    }

    [Fact]
    public void Create_Bioguide_IsVersionFiveAndStable()
    {
        var id = NameBasedUuid.Create(CongressData.PersonIdNamespace, "C000127");

        Assert.Equal("bbeb3044-10df-54a8-be4d-297982b2b59f", id);
        Assert.Equal('5', id[14]);
        Assert.Contains(id[19], "89ab");
    }

    [Theory]
    [InlineData("Maria", "Cantwell", "Maria Cantwell", null, null, "Maria Cantwell")]
    [InlineData("James", "Gallagher", null, null, null, "James Gallagher")]
    [InlineData("Robert", "Smith", null, "Bob", "Jr.", "Bob Smith Jr.")]
    [InlineData("Ana", "Núñez", null, null, "III", "Ana Núñez III")]
    public void FullNameOf_Parts_KeepsNameAsWritten(string first, string last, string? official, string? nickname, string? suffix, string expected)
    {
        Assert.Equal(expected, CongressData.FullNameOf(first, last, official, nickname, suffix));
    }
}
