using System.Reflection;

namespace ContactEnrichment.DevHost.Catalog;

/// <summary>
/// The functions DevHost runs, read from the <c>functions.metadata</c> file that the Functions
/// SDK writes next to the binaries, or from the <c>[Function]</c> attributes of given types.
/// </summary>
public sealed class FunctionCatalog
{
    public const string MetadataFileName = "functions.metadata";

    /// <summary>The app's function assembly, whose metadata DevHost loads by default.</summary>
    public const string DefaultAssemblyName = "ContactEnrichment.Functions";

    internal FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions, string directory)
    {
        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DevHostConfigurationException($"Two functions are named '{duplicate.Key}'; function names must be unique.");
        }

        Functions = functions;
        Directory = directory;
    }

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    /// <summary>The folder searched first for host.json: the metadata file's, or the first type's assembly's.</summary>
    public string Directory { get; }

    /// <summary>Loads <c>functions.metadata</c> from the folder of the app's function assembly.</summary>
    public static FunctionCatalog LoadDefault()
    {
        var assembly = Assembly.Load(new AssemblyName(DefaultAssemblyName));
        var directory = Path.GetDirectoryName(assembly.Location)
            ?? throw new DevHostConfigurationException($"The location of {DefaultAssemblyName} is unknown.");
        return LoadMetadata(Path.Combine(directory, MetadataFileName));
    }

    /// <summary>Loads a <c>functions.metadata</c> file; its script files are resolved from its folder.</summary>
    public static FunctionCatalog LoadMetadata(string path) => FunctionMetadataReader.Read(path);

    /// <summary>Reads the <c>[Function]</c> methods of <paramref name="types"/> and their trigger attributes.</summary>
    public static FunctionCatalog FromTypes(params Type[] types) => FunctionAttributeReader.Read(types);
}
