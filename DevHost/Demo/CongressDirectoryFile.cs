using System.Text.Json;

namespace ContactEnrichment.DevHost.Demo;

/// <summary>Writes the members' office phones in the directory provider's file format (version 1).</summary>
public static class CongressDirectoryFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Replaces <paramref name="path"/> with one entry per member that has a phone, and returns the
    /// entry count. It writes a temporary file and renames it, so the app never reads half a file.
    /// </summary>
    public static async Task<int> WriteAsync(string path, IReadOnlyList<CongressMember> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        var entries = members
            .Where(member => member.Phones.Count > 0)
            .Select(member => new
            {
                fullName = member.FullName,
                companyName = member.CompanyName,
                companyDomain = member.CompanyDomain,
                phones = member.Phones.Select(phone => new { number = phone.Number, label = phone.Label }),
                source = "congress-legislators (public domain)",
                externalIds = new Dictionary<string, string> { ["bioguide"] = member.Bioguide },
            })
            .ToList();

        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, new { version = 1, entries }, Options, cancellationToken);
        }

        File.Move(temporary, fullPath, overwrite: true);
        return entries.Count;
    }
}
