namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>Paths inside the repository that the tests run from.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder that holds ContactEnrichment.sln, found by walking up from the test binaries.</summary>
    public static string Root => RootPath.Value;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ContactEnrichment.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"ContactEnrichment.sln was not found above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
