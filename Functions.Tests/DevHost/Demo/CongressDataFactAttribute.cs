namespace ContactEnrichment.Functions.Tests.DevHost.Demo;

/// <summary>A fact that runs only when the congress-legislators data sits beside the repository.</summary>
public sealed class CongressDataFactAttribute : FactAttribute
{
    public CongressDataFactAttribute()
    {
        if (!Directory.Exists(CongressDataFolder.Path))
        {
            Skip = $"The congress-legislators data is not at {CongressDataFolder.Path}.";
        }
    }
}

/// <summary>The shared, public-domain congress-legislators data, read in place and never copied.</summary>
internal static class CongressDataFolder
{
    public static string Path { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(
        Infrastructure.RepositoryPaths.Root, "..", "shared", "data", "congress-legislators"));
}
