using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Core.Providers.Directory;

/// <summary>The entries of one version of the directory file, indexed by identity.</summary>
internal sealed class DirectoryIndex
{
    private readonly IReadOnlyList<DirectoryEntry> entries;
    private readonly Dictionary<string, List<int>> byLinkedin = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, string Domain), List<int>> byNameAndDomain = [];
    private readonly string?[] linkedinOfEntry;

    private DirectoryIndex(IReadOnlyList<DirectoryEntry> entries)
    {
        this.entries = entries;
        linkedinOfEntry = new string?[entries.Count];
        for (var index = 0; index < entries.Count; index++)
        {
            AddToIndexes(index, entries[index]);
        }
    }

    public int Count => entries.Count;

    public static DirectoryIndex Build(DirectoryFile file) => new(file.Entries);

    /// <summary>
    /// Returns the entries that match <paramref name="query"/>, in file order: those with the
    /// same canonical LinkedIn URL, and those with the same normalized full name and company
    /// domain unless both sides have LinkedIn URLs and the URLs differ.
    /// </summary>
    public IReadOnlyList<DirectoryEntry> Match(ProviderQuery query)
    {
        var queryLinkedin = IdentityNormalizer.CanonicalLinkedinUrl(query.LinkedinUrl);
        var matches = new SortedSet<int>();
        if (queryLinkedin is not null && byLinkedin.TryGetValue(queryLinkedin, out var linkedinMatches))
        {
            matches.UnionWith(linkedinMatches);
        }

        var name = NameOf(query);
        var domain = IdentityNormalizer.NormalizeDomain(query.CompanyDomain);
        if (name.Length > 0 && domain is not null && byNameAndDomain.TryGetValue((name, domain), out var nameMatches))
        {
            matches.UnionWith(nameMatches.Where(index => !HasOtherLinkedin(index, queryLinkedin)));
        }

        return matches.Select(index => entries[index]).ToList();
    }

    private void AddToIndexes(int index, DirectoryEntry entry)
    {
        var linkedin = IdentityNormalizer.CanonicalLinkedinUrl(entry.LinkedinUrl);
        linkedinOfEntry[index] = linkedin;
        if (linkedin is not null)
        {
            Add(byLinkedin, linkedin, index);
        }

        var name = IdentityNormalizer.NormalizeName(entry.FullName);
        var domain = IdentityNormalizer.NormalizeDomain(entry.CompanyDomain);
        if (name.Length > 0 && domain is not null)
        {
            Add(byNameAndDomain, (name, domain), index);
        }
    }

    private bool HasOtherLinkedin(int index, string? queryLinkedin) =>
        queryLinkedin is not null && linkedinOfEntry[index] is { } entryLinkedin && entryLinkedin != queryLinkedin;

    private static string NameOf(ProviderQuery query)
    {
        var name = IdentityNormalizer.NormalizeName(query.FullName);
        return name.Length > 0 ? name : IdentityNormalizer.NormalizeName($"{query.FirstName} {query.LastName}");
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> index, TKey key, int entry)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = [];
            index[key] = list;
        }

        list.Add(entry);
    }
}
