using System.ComponentModel.DataAnnotations;

namespace ContactEnrichment.Core.Providers.Directory;

/// <summary>Settings of the file-backed directory provider, bound from <c>Providers:Directory</c>.</summary>
public sealed class DirectoryProviderOptions
{
    public const string SectionName = "Providers:Directory";

    /// <summary>
    /// Path of the directory JSON file. A relative path is looked up under the app's content
    /// root, then the current directory, then the repository root (the nearest parent folder
    /// of the app or the current directory that contains <c>ContactEnrichment.sln</c>).
    /// Default <c>demo/directory.json</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Providers:Directory:Path must name the directory JSON file.")]
    public string Path { get; set; } = "demo/directory.json";
}
