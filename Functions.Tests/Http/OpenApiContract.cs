using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>One operation of the OpenAPI document: a path template under <c>/api</c> and an HTTP method.</summary>
internal sealed record OpenApiOperation(string Path, string Method);

/// <summary>
/// Reads the committed OpenAPI 3.1 document and checks responses against it. The status must be
/// documented for the operation and the media type must be one it lists. The body must validate
/// against its JSON Schema, in draft 2020-12, the dialect OpenAPI 3.1 uses.
/// </summary>
internal sealed class OpenApiContract
{
    /// <summary>The path-item extension that marks a route some builds do not serve yet.</summary>
    public const string OptionalRouteExtension = "x-optional-route";

    private readonly JsonObject document;
    private readonly ConcurrentDictionary<string, JsonSchema> schemas = new();

    public OpenApiContract(string json)
    {
        document = JsonNode.Parse(json)!.AsObject();
        if (document["openapi"]?.GetValue<string>() != "3.1.0")
        {
            throw new InvalidOperationException("The contract checks need an OpenAPI 3.1.0 document.");
        }
    }

    public IEnumerable<OpenApiOperation> Operations =>
        from path in Paths
        from method in path.Value!.AsObject()
        where !method.Key.StartsWith("x-", StringComparison.Ordinal)
        select new OpenApiOperation(path.Key, method.Key.ToUpperInvariant());

    public bool IsOptional(string path) => Paths[path]?[OptionalRouteExtension]?.GetValue<bool>() == true;

    public IReadOnlyList<int> StatusesOf(OpenApiOperation operation) =>
        Responses(operation).Select(response => int.Parse(response.Key, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>Returns the problems found with a response, or an empty list when it matches the document.</summary>
    public IReadOnlyList<string> Check(OpenApiOperation operation, int status, string? mediaType, string body)
    {
        var response = Responses(operation).FirstOrDefault(pair => pair.Key == status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (response.Value is null)
        {
            return [$"{operation.Method} {operation.Path}: status {status} is not documented."];
        }

        var content = Resolve(response.Value)["content"]?.AsObject();
        if (content is null)
        {
            return body.Length == 0 ? [] : [$"{operation.Method} {operation.Path} {status}: the document lists no content, but the body is '{body}'."];
        }

        var media = content.FirstOrDefault(pair => pair.Key == mediaType);
        if (media.Value is null)
        {
            return [$"{operation.Method} {operation.Path} {status}: media type '{mediaType}' is not one of {string.Join(", ", content.Select(pair => pair.Key))}."];
        }

        var key = $"{operation.Method} {operation.Path} {status} {mediaType}";
        var schema = schemas.GetOrAdd(key, _ => Compile(media.Value["schema"]!));
        var results = schema.Evaluate(JsonNode.Parse(body), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return results.Details
            .Where(detail => detail.HasErrors)
            .SelectMany(detail => detail.Errors!.Select(error =>
                $"{key}: {detail.InstanceLocation} ({detail.EvaluationPath}): {error.Value}"))
            .DefaultIfEmpty($"{key}: the body does not validate: {body}")
            .ToList();
    }

    private JsonObject Paths => document["paths"]!.AsObject();

    private JsonObject Responses(OpenApiOperation operation) =>
        Paths[operation.Path]?[operation.Method.ToLowerInvariant()]?["responses"]?.AsObject()
        ?? throw new ArgumentException($"The document has no operation {operation.Method} {operation.Path}.", nameof(operation));

    private JsonNode Resolve(JsonNode node)
    {
        var reference = node["$ref"]?.GetValue<string>();
        if (reference is null)
        {
            return node;
        }

        JsonNode? target = document;
        foreach (var segment in reference.TrimStart('#', '/').Split('/'))
        {
            target = target?[segment];
        }

        return target ?? throw new InvalidOperationException($"The document has no {reference}.");
    }

    // A standalone 2020-12 schema: the response schema with the document's component schemas as $defs.
    private JsonSchema Compile(JsonNode schema)
    {
        var definitions = document["components"]!["schemas"]!.ToJsonString()
            .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var root = JsonNode.Parse(schema.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$id"] = $"https://contact-enrichment.test/contract/{Guid.NewGuid():N}";
        root["$defs"] = JsonNode.Parse(definitions);
        return JsonSchema.FromText(root.ToJsonString());
    }

    /// <summary>Maps a function route such as <c>v1/entities/persons/{personId}</c> to its document path.</summary>
    public static string PathOf(string route) => "/" + route.Trim('/');
}
