using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;

namespace ContactEnrichment.DevHost.Catalog;

/// <summary>
/// Reads the <c>functions.metadata</c> JSON that the Functions SDK generates at build time: an
/// array of functions, each with <c>name</c>, <c>scriptFile</c>, <c>entryPoint</c> and
/// <c>bindings</c>. This is the same file the Functions host reads, so DevHost maps exactly the
/// routes, queues and schedules the host would.
/// </summary>
internal static class FunctionMetadataReader
{
    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static FunctionCatalog Read(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new DevHostConfigurationException(
                $"{fullPath} does not exist. Build the Functions project (dotnet build) so that the Functions SDK writes it.");
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        using var document = Parse(fullPath);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new DevHostConfigurationException($"{fullPath} must contain a JSON array of functions.");
        }

        var functions = document.RootElement.EnumerateArray().Select(entry => ReadFunction(entry, directory, fullPath)).ToList();
        return new FunctionCatalog(functions, directory);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), ParseOptions);
        }
        catch (JsonException exception)
        {
            throw new DevHostConfigurationException($"{path} is not valid JSON: {exception.Message}", exception);
        }
    }

    private static FunctionDescriptor ReadFunction(JsonElement entry, string directory, string path)
    {
        var name = RequiredString(entry, "name", path, "(unnamed)");
        var method = ResolveMethod(directory, RequiredString(entry, "scriptFile", path, name), RequiredString(entry, "entryPoint", path, name), name);

        TriggerBinding? trigger = null;
        var bindings = JsonProperties.Find(entry, "bindings");
        foreach (var binding in bindings is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : default)
        {
            var type = JsonProperties.GetString(binding, "type") ?? "";
            var direction = JsonProperties.GetString(binding, "direction") ?? "";
            var bindingName = JsonProperties.GetString(binding, "name") ?? "";
            if (type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            {
                if (trigger is not null)
                {
                    throw new DevHostConfigurationException($"Function '{name}' in {path} declares more than one trigger.");
                }

                trigger = ReadTrigger(binding, type, bindingName, name);
            }
            else if (!IsHttpResult(bindingName, type, direction))
            {
                throw UnsupportedBinding(name, $"a '{type}' binding ({direction}) named '{bindingName}'");
            }
        }

        return new FunctionDescriptor(name, method, trigger
            ?? throw new DevHostConfigurationException($"Function '{name}' in {path} has no trigger binding."));
    }

    private static TriggerBinding ReadTrigger(JsonElement binding, string type, string parameterName, string functionName)
    {
        switch (type.ToUpperInvariant())
        {
            case "HTTPTRIGGER":
                var methods = JsonProperties.Find(binding, "methods") is { ValueKind: JsonValueKind.Array } list
                    ? list.EnumerateArray().Select(m => m.GetString() ?? "").Where(m => m.Length > 0).ToList()
                    : null;
                return new HttpTriggerBinding(parameterName, JsonProperties.GetString(binding, "route"), methods);
            case "QUEUETRIGGER":
                return new QueueTriggerBinding(parameterName,
                    JsonProperties.GetString(binding, "queueName")
                        ?? throw new DevHostConfigurationException($"Function '{functionName}' has a queueTrigger without queueName."),
                    JsonProperties.GetString(binding, "connection"));
            case "TIMERTRIGGER":
                return new TimerTriggerBinding(parameterName,
                    JsonProperties.GetString(binding, "schedule")
                        ?? throw new DevHostConfigurationException($"Function '{functionName}' has a timerTrigger without schedule."),
                    JsonProperties.Find(binding, "runOnStartup") is { ValueKind: JsonValueKind.True });
            default:
                throw UnsupportedBinding(functionName, $"a '{type}'");
        }
    }

    private static bool IsHttpResult(string name, string type, string direction) =>
        name == "$return" && type.Equals("http", StringComparison.OrdinalIgnoreCase)
        && direction.Equals("Out", StringComparison.OrdinalIgnoreCase);

    internal static DevHostConfigurationException UnsupportedBinding(string functionName, string what) =>
        new($"Function '{functionName}' uses {what}. DevHost runs only httpTrigger, queueTrigger and timerTrigger " +
            "functions without other input or output bindings; run it under the Functions host (func start) instead.");

    private static MethodInfo ResolveMethod(string directory, string scriptFile, string entryPoint, string functionName)
    {
        var separator = entryPoint.LastIndexOf('.');
        if (separator <= 0)
        {
            throw new DevHostConfigurationException($"Function '{functionName}' has entryPoint '{entryPoint}'; expected Namespace.Type.Method.");
        }

        var assembly = LoadAssembly(directory, scriptFile);
        var typeName = entryPoint[..separator];
        var methodName = entryPoint[(separator + 1)..];
        var type = assembly.GetType(typeName)
            ?? throw new DevHostConfigurationException($"Function '{functionName}': type {typeName} is not in {assembly.GetName().Name}. Rebuild the Functions project.");

        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == methodName)
            .ToList();
        var annotated = candidates.Where(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == functionName).ToList();
        var chosen = annotated.Count == 1 ? annotated : candidates;
        return chosen.Count == 1
            ? chosen[0]
            : throw new DevHostConfigurationException(
                $"Function '{functionName}': {typeName} has {chosen.Count} public methods named {methodName}; expected exactly one.");
    }

    private static Assembly LoadAssembly(string directory, string scriptFile)
    {
        var simpleName = Path.GetFileNameWithoutExtension(scriptFile);
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => string.Equals(a.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null)
        {
            return loaded;
        }

        try
        {
            return Assembly.Load(new AssemblyName(simpleName));
        }
        catch (FileNotFoundException)
        {
            var path = Path.Combine(directory, scriptFile);
            return File.Exists(path)
                ? AssemblyLoadContext.Default.LoadFromAssemblyPath(path)
                : throw new DevHostConfigurationException($"Script file {path} named in functions.metadata does not exist.");
        }
    }

    private static string RequiredString(JsonElement entry, string property, string path, string functionName) =>
        JsonProperties.GetString(entry, property)
        ?? throw new DevHostConfigurationException($"Function '{functionName}' in {path} has no '{property}'.");
}
