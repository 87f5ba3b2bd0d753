namespace ContactEnrichment.Core.Providers.Directory;

/// <summary>Resolves the configured directory path to the file the provider reads.</summary>
internal static class DirectoryPathResolver
{
    private const string RepositoryMarker = "ContactEnrichment.sln";

    /// <summary>
    /// Returns the full paths to try, in order: the path itself when it is absolute; otherwise
    /// under the content root, the current directory and the repository root, without repeats.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string configuredPath, string? contentRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuredPath);
        if (Path.IsPathRooted(configuredPath))
        {
            return [Path.GetFullPath(configuredPath)];
        }

        var roots = new List<string?>
        {
            contentRoot,
            System.IO.Directory.GetCurrentDirectory(),
            FindRepositoryRoot(System.IO.Directory.GetCurrentDirectory()),
            FindRepositoryRoot(AppContext.BaseDirectory),
        };

        return roots
            .OfType<string>()
            .Select(root => Path.GetFullPath(Path.Combine(root, configuredPath)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Returns the first candidate that exists, or the first candidate when none does.</summary>
    public static string Resolve(string configuredPath, string? contentRoot)
    {
        var candidates = Candidates(configuredPath, contentRoot);
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, RepositoryMarker)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
