using System.Text.Json;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>
/// A directory file for the <c>directory</c> provider with one person whose name no other test
/// uses, so that the global result for that person starts empty.
/// </summary>
internal sealed class TestDirectoryFile : IDisposable
{
    public TestDirectoryFile(IReadOnlyList<string> emails, IReadOnlyList<string> phones)
    {
        FullName = TestNames.UniqueFullName();
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"directory-{Guid.NewGuid():N}.json");
        var document = new
        {
            version = 1,
            entries = new[]
            {
                new
                {
                    fullName = FullName,
                    companyDomain = Domain,
                    emails = emails.Select(address => new { address }).ToArray(),
                    phones = phones.Select(number => new { number, label = "Office" }).ToArray(),
                },
            },
        };
        File.WriteAllText(Path, JsonSerializer.Serialize(document));
    }

    public const string Domain = "example.com";

    public string FullName { get; }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}

internal static class TestNames
{
    /// <summary>A full name no other test uses, made of letters only so name normalization keeps it.</summary>
    public static string UniqueFullName()
    {
        var letters = Guid.NewGuid().ToString("N").Select(c => (char)('a' + (c % 26))).Take(12).ToArray();
        return "Ada " + char.ToUpperInvariant(letters[0]) + new string(letters, 1, letters.Length - 1);
    }
}
