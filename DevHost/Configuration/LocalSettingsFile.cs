using System.Text.Json;
using ContactEnrichment.DevHost.Catalog;

namespace ContactEnrichment.DevHost.Configuration;

/// <summary>
/// Reads the <c>Values</c> of local.settings.json, the file the Functions host turns into
/// environment variables for the worker. Names use <c>__</c> as the section separator, so
/// <c>Cosmos__Endpoint</c> becomes the configuration key <c>Cosmos:Endpoint</c>.
/// </summary>
public static class LocalSettingsFile
{
    public const string FileName = "local.settings.json";

    /// <summary>The solution file that marks the repository root.</summary>
    public const string SolutionFileName = "ContactEnrichment.sln";

    /// <summary>
    /// Returns the path of local.settings.json in <paramref name="currentDirectory"/>, else in
    /// the repository root above it, else in the repository root above the DevHost binaries;
    /// null when none has it.
    /// </summary>
    public static string? Find(string currentDirectory)
    {
        string?[] candidates = [currentDirectory, FindRepositoryRoot(currentDirectory), FindRepositoryRoot(AppContext.BaseDirectory)];
        return candidates
            .Where(directory => directory is not null)
            .Select(directory => Path.Combine(directory!, FileName))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Returns the nearest folder at or above <paramref name="start"/> that contains the solution file, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>Reads the <c>Values</c> object as configuration keys (<c>__</c> turned into <c>:</c>).</summary>
    /// <exception cref="DevHostConfigurationException">The file is not valid JSON, is encrypted, or a value is not a string.</exception>
    public static IReadOnlyDictionary<string, string?> ReadValues(string path)
    {
        using var document = Parse(path);
        if (JsonProperties.Find(document.RootElement, "IsEncrypted") is { ValueKind: JsonValueKind.True })
        {
            throw new DevHostConfigurationException($"{path} is encrypted; decrypt it with 'func settings decrypt' or recreate it from local.settings.sample.json.");
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (JsonProperties.Find(document.RootElement, "Values") is not { ValueKind: JsonValueKind.Object } section)
        {
            return values;
        }

        foreach (var property in section.EnumerateObject())
        {
            values[ToConfigurationKey(property.Name)] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new DevHostConfigurationException($"{path}: Values.{property.Name} must be a string."),
            };
        }

        return values;
    }

    /// <summary>Turns an app setting name into a configuration key, as the environment variable provider does.</summary>
    public static string ToConfigurationKey(string settingName)
    {
        ArgumentNullException.ThrowIfNull(settingName);
        return settingName.Replace("__", ":", StringComparison.Ordinal);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new DevHostConfigurationException($"{path} is not valid JSON: {exception.Message}", exception);
        }
    }
}
