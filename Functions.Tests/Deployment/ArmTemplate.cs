using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactEnrichment.Functions.Tests.Deployment;

/// <summary>A resource of a compiled ARM template, with the template (or module template) that declares it.</summary>
public sealed record ArmResource(JsonObject Resource, JsonObject DeclaringTemplate)
{
    public string Type => Resource["type"]?.GetValue<string>() ?? string.Empty;

    public string Name => Resource["name"]?.GetValue<string>() ?? string.Empty;

    public JsonNode? Properties => Resource["properties"];

    /// <summary>
    /// Replaces each <c>variables('name')</c> in an expression with the variable's value when that
    /// value is a plain string, so that role ids held in variables can be compared as text.
    /// </summary>
    public string ResolveVariables(string expression) =>
        Regex.Replace(expression, @"variables\('(?<name>[^']+)'\)", match =>
            DeclaringTemplate["variables"]?[match.Groups["name"].Value] is JsonValue value
                && value.TryGetValue(out string? text)
                ? text
                : match.Value);
}

/// <summary>Walks a template compiled by <c>bicep build</c>, including the templates of its modules.</summary>
public static class ArmTemplate
{
    /// <summary>The template and every nested module template, depth first.</summary>
    public static IEnumerable<JsonObject> Templates(JsonObject template)
    {
        yield return template;
        foreach (var resource in OwnResources(template))
        {
            if (resource["properties"] is JsonObject properties && properties["template"] is JsonObject nested)
            {
                foreach (var inner in Templates(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>Every resource of the template and its module templates, modules included.</summary>
    public static IEnumerable<ArmResource> Resources(JsonObject template) =>
        Templates(template).SelectMany(t => OwnResources(t).Select(resource => new ArmResource(resource, t)));

    public static IReadOnlyList<ArmResource> OfType(JsonObject template, string type) =>
        Resources(template).Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public static ArmResource Module(JsonObject template, string deploymentName) =>
        OfType(template, "Microsoft.Resources/deployments").Single(r => r.Name == deploymentName);

    // Templates with languageVersion 2.0 keep resources in an object keyed by symbolic name, and older ones in an array.
    private static IEnumerable<JsonObject> OwnResources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject byName => byName.Select(entry => entry.Value).OfType<JsonObject>(),
        _ => [],
    };
}
