using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Functions.Tests.Domain;

public sealed class IdentityKeyTests
{
    [Theory]
    [InlineData("https://de.linkedin.com/in/Jane-Doe/?trk=x", "linkedin.com/in/jane-doe")]
    [InlineData("http://www.linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe")]
    [InlineData("https://www.linkedin.com/in/jane-doe/", "linkedin.com/in/jane-doe")]
    [InlineData("HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE", "linkedin.com/in/jane-doe")]
    [InlineData("linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe")]
    [InlineData("www.linkedin.com/in/jane-doe#experience", "linkedin.com/in/jane-doe")]
    [InlineData("https://m.linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe")]
    [InlineData("https://www.linkedin.com/in/jane-doe/details/experience/", "linkedin.com/in/jane-doe")]
    [InlineData("  https://uk.linkedin.com/in/jane-doe?originalSubdomain=uk  ", "linkedin.com/in/jane-doe")]
    [InlineData("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller", "linkedin.com/in/jürgen-müller")]
    public void CanonicalLinkedinUrl_ProfileVariants_GiveOneKey(string url, string expected)
    {
        Assert.Equal(expected, IdentityNormalizer.CanonicalLinkedinUrl(url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://www.linkedin.com/company/example")]
    [InlineData("https://www.linkedin.com/pub/jane-doe/1/2/3")]
    [InlineData("https://www.linkedin.com/in/")]
    [InlineData("https://example.com/in/jane-doe")]
    [InlineData("https://notlinkedin.com/in/jane-doe")]
    [InlineData("https://linkedin.com.evil.example/in/jane-doe")]
    [InlineData("ftp://www.linkedin.com/in/jane-doe")]
    [InlineData("https://a.b.linkedin.com/in/jane-doe")]
    public void CanonicalLinkedinUrl_NotAProfile_ReturnsNull(string? url)
    {
        Assert.Null(IdentityNormalizer.CanonicalLinkedinUrl(url));
    }

    [Fact]
    public void LinkedinHandle_ProfileUrl_ReturnsLowerCaseHandle()
    {
        Assert.Equal("jane-doe", IdentityNormalizer.LinkedinHandle("https://www.linkedin.com/in/Jane-Doe/"));
    }

    [Theory]
    [InlineData("Jane Doe", "jane doe")]
    [InlineData("  JANE   DOE  ", "jane doe")]
    [InlineData("José Núñez", "jose nunez")]
    [InlineData("Zoë Saldaña-Nazario", "zoe saldana nazario")]
    [InlineData("Søren Kjær", "soren kjaer")]
    [InlineData("Straße", "strasse")]
    [InlineData("Łukasz Żółw", "lukasz zolw")]
    [InlineData("O'Brien, Liam", "obrien liam")]
    [InlineData("Liam O’Brien", "liam obrien")]
    [InlineData("J.R. Smith", "j r smith")]
    [InlineData("Robert Chen Jr.", "robert chen")]
    [InlineData("Dr. John Smith III", "john smith")]
    [InlineData("Mrs. Mary Ann Smith, PhD", "mary ann smith")]
    [InlineData("Dr Smith", "dr smith")]
    [InlineData("Smith Jr", "smith jr")]
    [InlineData("Ｊａｎｅ　Ｄｏｅ", "jane doe")]
    [InlineData("李 小龍", "李 小龍")]
    [InlineData("Jane \"JD\" Doe", "jane jd doe")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData(" .,- ", "")]
    public void NormalizeName_Variants_FollowDocumentedRules(string? name, string expected)
    {
        Assert.Equal(expected, IdentityNormalizer.NormalizeName(name));
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("Example.COM", "example.com")]
    [InlineData("www.example.com", "example.com")]
    [InlineData("https://www.example.com/about?x=1", "example.com")]
    [InlineData("http://example.com:8080", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("example.com/contact", "example.com")]
    [InlineData("sub.example.co.uk", "sub.example.co.uk")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    public void NormalizeDomain_Variants_GiveBareHost(string value, string expected)
    {
        Assert.Equal(expected, IdentityNormalizer.NormalizeDomain(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("jane@example.com")]
    [InlineData("exa mple.com")]
    [InlineData("-example.com")]
    [InlineData("example.123")]
    public void NormalizeDomain_Invalid_ReturnsNull(string? value)
    {
        Assert.Null(IdentityNormalizer.NormalizeDomain(value));
    }

    [Fact]
    public void From_LinkedinKnown_UsesCanonicalUrl()
    {
        var key = IdentityKey.From("https://de.linkedin.com/in/Jane-Doe/?trk=x", "Someone Else", "other.example");

        Assert.NotNull(key);
        Assert.Equal(IdentityKeyKind.Linkedin, key.Kind);
        Assert.Equal("linkedin.com/in/jane-doe", key.Value);
    }

    [Fact]
    public void From_LinkedinVariants_GiveEqualKeys()
    {
        var first = IdentityKey.From("https://de.linkedin.com/in/Jane-Doe/?trk=x", null, null);
        var second = IdentityKey.From("http://www.linkedin.com/in/jane-doe", null, null);

        Assert.Equal(first, second);
    }

    [Fact]
    public void From_NoLinkedin_UsesNameAndDomain()
    {
        var key = IdentityKey.From(null, "Dr. José Núñez Jr.", "https://www.Example.org/team");

        Assert.NotNull(key);
        Assert.Equal(IdentityKeyKind.NameAndDomain, key.Kind);
        Assert.Equal("name:jose nunez|example.org", key.Value);
    }

    [Fact]
    public void From_CompanyPageLinkedin_FallsBackToNameAndDomain()
    {
        var key = IdentityKey.From("https://www.linkedin.com/company/example", "Jane Doe", "example.com");

        Assert.Equal(new IdentityKey(IdentityKeyKind.NameAndDomain, "name:jane doe|example.com"), key);
    }

    [Theory]
    [InlineData(null, "example.com")]
    [InlineData("Jane Doe", null)]
    [InlineData("Jane Doe", "not a domain")]
    [InlineData("  ", "example.com")]
    public void From_NeitherAvailable_ReturnsNull(string? fullName, string? domain)
    {
        Assert.Null(IdentityKey.From(null, fullName, domain));
    }

    [Fact]
    public void GlobalResultId_IsSha256HexOfFieldAndKey()
    {
        var key = new IdentityKey(IdentityKeyKind.Linkedin, "linkedin.com/in/jane-doe");
        var expected = Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData("emails|linkedin.com/in/jane-doe"u8));

        Assert.Equal(expected, key.GlobalResultId(EnrichmentField.Emails));
        Assert.Equal(64, key.GlobalResultId(EnrichmentField.Phones).Length);
    }

    [Fact]
    public void GlobalResultId_DiffersPerField()
    {
        var key = IdentityKey.From(null, "Jane Doe", "example.com")!;

        Assert.NotEqual(key.GlobalResultId(EnrichmentField.Emails), key.GlobalResultId(EnrichmentField.Phones));
    }

    [Fact]
    public void GlobalResultId_SamePersonFromTwoOrganizations_IsEqual()
    {
        var fromFirstOrganization = new PersonDocument
        {
            Id = "person-1",
            OrgId = "org-a",
            FullName = "Jane Doe",
            CompanyDomain = "example.com",
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var fromSecondOrganization = fromFirstOrganization with { Id = "person-9", OrgId = "org-b", FullName = "JANE  DOE" };

        var first = IdentityKey.From(fromFirstOrganization)!.GlobalResultId(EnrichmentField.Emails);
        var second = IdentityKey.From(fromSecondOrganization)!.GlobalResultId(EnrichmentField.Emails);

        Assert.Equal(first, second);
        Assert.DoesNotContain("org-a", IdentityKey.From(fromFirstOrganization)!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("person-1", IdentityKey.From(fromFirstOrganization)!.Value, StringComparison.Ordinal);
    }
}
