using ContactEnrichment.Core.Providers;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ContactEnrichment.Functions.Tests.Providers;

public sealed class ContactNormalizerTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 15, 10, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("202-224-3441", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("(202) 224-3441", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("202.224.3441", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("2022243441", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("1-202-224-3441", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("+1 202 224 3441", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("  202-224-3441  ", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("202-224-3441 ext. 12", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("202-224-3441 x12", "+12022243441", "fixed_line_or_mobile")]
    [InlineData("(202) 555-0143", "+12025550143", "fixed_line_or_mobile")]
    [InlineData("1-800-555-0100", "+18005550100", "toll_free")]
    [InlineData("+44 20 7946 0321", "+442079460321", "fixed_line")]
    [InlineData("+61 491 570 006", "+61491570006", "mobile")]
    [InlineData("+33 1 99 00 12 34", "+33199001234", "fixed_line")]
    public void NormalizePhoneNumber_ValidNumbers_GiveE164AndLineType(string number, string e164, string lineType)
    {
        var normalization = CreateNormalizer().NormalizePhoneNumber(number);

        Assert.NotNull(normalization);
        Assert.Equal(e164, normalization.E164);
        Assert.Equal(lineType, normalization.LineType);
    }

    [Theory]
    [InlineData("0491 570 006", "AU", "+61491570006")]
    [InlineData("020 7946 0321", "GB", "+442079460321")]
    public void NormalizePhoneNumber_ExplicitRegion_ReadsNationalFormat(string number, string region, string e164)
    {
        Assert.Equal(e164, CreateNormalizer().NormalizePhoneNumber(number, region)?.E164);
    }

    [Fact]
    public void NormalizePhoneNumber_DefaultRegionSetting_ReadsNationalFormat()
    {
        var normalizer = CreateNormalizer(defaultRegion: "GB");

        Assert.Equal("+442079460321", normalizer.NormalizePhoneNumber("020 7946 0321")?.E164);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a number")]
    [InlineData("12")]
    [InlineData("555-0143")]
    [InlineData("+1 (555) 010-0000")]
    [InlineData("+44 7700 900123")]
    [InlineData("202-224-34411234")]
    public void NormalizePhoneNumber_Invalid_ReturnsNull(string? number)
    {
        Assert.Null(CreateNormalizer().NormalizePhoneNumber(number));
    }

    [Theory]
    [InlineData("jane.doe@example.com", "jane.doe@example.com")]
    [InlineData("  Jane.Doe@Example.COM ", "jane.doe@example.com")]
    [InlineData("jane+news@example.co.uk", "jane+news@example.co.uk")]
    [InlineData("j_doe-1@mail.example.org", "j_doe-1@mail.example.org")]
    [InlineData("jane@www.example.com", "jane@www.example.com")]
    [InlineData("jane@bücher.example", "jane@xn--bcher-kva.example")]
    public void NormalizeEmailAddress_Valid_LowerCasesAndTrims(string address, string expected)
    {
        Assert.Equal(expected, ContactNormalizer.NormalizeEmailAddress(address));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("jane.doe")]
    [InlineData("jane@@example.com")]
    [InlineData("jane@doe@example.com")]
    [InlineData("@example.com")]
    [InlineData("jane@")]
    [InlineData("jane@localhost")]
    [InlineData("jane@example")]
    [InlineData("jane@example.com.")]
    [InlineData("jane@-example.com")]
    [InlineData("jane@example..com")]
    [InlineData(".jane@example.com")]
    [InlineData("jane.@example.com")]
    [InlineData("ja..ne@example.com")]
    [InlineData("jane doe@example.com")]
    [InlineData("Jane Doe <jane@example.com>")]
    [InlineData("<jane@example.com>")]
    [InlineData("\"jane\"@example.com")]
    [InlineData("jane@[127.0.0.1]")]
    [InlineData("jane@example.123")]
    public void NormalizeEmailAddress_Invalid_ReturnsNull(string? address)
    {
        Assert.Null(ContactNormalizer.NormalizeEmailAddress(address));
    }

    [Fact]
    public void NormalizeEmailAddress_LocalPartTooLong_ReturnsNull()
    {
        Assert.Null(ContactNormalizer.NormalizeEmailAddress(new string('a', 65) + "@example.com"));
    }

    [Fact]
    public void Normalize_Duplicates_KeepsFirstOccurrence()
    {
        var result = CreateNormalizer().Normalize(
            "directory",
            [new RawEmail("Jane@Example.com"), new RawEmail("jane@example.com "), new RawEmail("j.doe@example.com")],
            [new RawPhone("202-555-0143", Label: "Office"), new RawPhone("+1 (202) 555-0143 ext 9", Label: "Desk")]);

        Assert.Equal(["jane@example.com", "j.doe@example.com"], result.Data.Emails.Select(email => email.Address));
        var phone = Assert.Single(result.Data.Phones);
        Assert.Equal("+12025550143", phone.Number);
        Assert.Equal("Office", phone.Label);
    }

    [Fact]
    public void Normalize_InvalidValues_AreDroppedAndCounted()
    {
        var result = CreateNormalizer().Normalize(
            "directory",
            [new RawEmail("nope"), new RawEmail(null), new RawEmail("ok@example.com")],
            [new RawPhone("12"), new RawPhone("202-555-0143")]);

        Assert.Equal(2, result.InvalidEmails);
        Assert.Equal(1, result.InvalidPhones);
        Assert.Single(result.Data.Emails);
        Assert.Single(result.Data.Phones);
    }

    [Fact]
    public void Normalize_Values_CarryProviderAndFoundTime()
    {
        var result = CreateNormalizer().Normalize("hunter", [new RawEmail("jane@example.com")], [new RawPhone("202-555-0143")]);

        var email = Assert.Single(result.Data.Emails);
        Assert.Equal("hunter", email.Provider);
        Assert.Equal(Now, email.FoundAt);
        var phone = Assert.Single(result.Data.Phones);
        Assert.Equal("hunter", phone.Provider);
        Assert.Equal(Now, phone.FoundAt);
        Assert.Equal("fixed_line_or_mobile", phone.LineType);
    }

    [Fact]
    public void Normalize_BlankLabel_IsStoredAsNull()
    {
        var result = CreateNormalizer().Normalize("directory", [], [new RawPhone("202-555-0143", Label: "  ")]);

        Assert.Null(Assert.Single(result.Data.Phones).Label);
    }

    private static ContactNormalizer CreateNormalizer(string defaultRegion = "US") =>
        new(Options.Create(new ProvidersOptions { DefaultPhoneRegion = defaultRegion }), new FakeTimeProvider(Now));
}
