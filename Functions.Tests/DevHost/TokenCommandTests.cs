using Microsoft.IdentityModel.JsonWebTokens;
using ContactEnrichment.DevHost.Commands;

namespace ContactEnrichment.Functions.Tests.DevHost;

public sealed class TokenCommandTests
{
    private const string SigningKey = "dG9rZW4tY29tbWFuZC10ZXN0LWtleS10aGF0LWlzLWxvbmctZW5vdWdoLWZvci1oczI1Ng==";

    [Fact]
    public async Task Token_PrintsOnlyTheTokenWithRequestedClaims()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await DevHostCommands.RunAsync(
            [
                "token", "--org", "org_42", "--user", "user_7", "--minutes", "15",
                $"--Auth:SigningKey={SigningKey}", "--Auth:Issuer=https://issuer.test/", "--Auth:Audience=api.test",
                "--Auth:OrganizationClaim=tenant",
            ],
            output, error, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Empty(error.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var token = new JsonWebToken(Assert.Single(lines).Trim());
        Assert.Equal("user_7", token.Subject);
        Assert.Equal("org_42", token.GetClaim("tenant").Value);
        Assert.Equal("https://issuer.test/", token.Issuer);
        Assert.Equal(["api.test"], token.Audiences);
        Assert.Equal(TimeSpan.FromMinutes(15), token.ValidTo - token.ValidFrom);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    public async Task Token_InvalidMinutes_IsUsageError(string minutes)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await DevHostCommands.RunAsync(
            ["token", "--org", "o", "--user", "u", "--minutes", minutes, $"--Auth:SigningKey={SigningKey}"], output, error, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("--minutes", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Token_ShortSigningKey_FailsWithReason()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await DevHostCommands.RunAsync(
            ["token", "--org", "o", "--user", "u", "--Auth:SigningKey=c2hvcnQ=", "--Auth:Issuer=https://issuer.test/", "--Auth:Audience=api.test"],
            output, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("at least 32 bytes", error.ToString(), StringComparison.Ordinal);
    }
}
