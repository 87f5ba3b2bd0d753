namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>
/// A fact that needs the public data folder <c>shared/data</c> beside the repository, as CI lays
/// it out. Without that folder the test is skipped with a reason instead of failing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        if (!Directory.Exists(SharedDataPath(relativePath)))
        {
            Skip = $"Needs {relativePath} under shared/data beside the repository; it is not there.";
        }
    }

    /// <summary>Returns the absolute path of <paramref name="relativePath"/> inside shared/data.</summary>
    public static string SharedDataPath(string relativePath) =>
        Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "data", relativePath));
}
