using System.Text.Json;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Core.Enrichment;

/// <summary>One task of a batch query: the latest record of a person for a field.</summary>
public sealed record QueryTask(string PersonId, EnrichmentField Field);

/// <summary>Validates the body of <c>POST /operations/enrichment/batch/query</c>.</summary>
public static class QueryRequestParser
{
    public const int MaxTasks = 200;

    public static IReadOnlyList<QueryTask> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiProblemException.Validation("body", $"The body must be a JSON object, not {BatchRequestParser.Describe(body.ValueKind)}.");
        }

        if (!body.TryGetProperty("tasks", out var tasks) || tasks.ValueKind == JsonValueKind.Null)
        {
            throw ApiProblemException.Validation("tasks", $"tasks is required: an array of 1 to {MaxTasks} objects with entityId and field.");
        }

        if (tasks.ValueKind != JsonValueKind.Array)
        {
            throw ApiProblemException.Validation("tasks",
                $"tasks must be an array of 1 to {MaxTasks} objects with entityId and field, not {BatchRequestParser.Describe(tasks.ValueKind)}.");
        }

        var count = tasks.GetArrayLength();
        if (count is 0 or > MaxTasks)
        {
            throw ApiProblemException.Validation("tasks", $"tasks must contain 1 to {MaxTasks} items; it contains {count}.");
        }

        var errors = new Dictionary<string, string[]>();
        var parsed = new List<QueryTask>();
        var index = 0;
        foreach (var task in tasks.EnumerateArray())
        {
            if (TryParseTask(task, $"tasks[{index}]", errors) is { } valid && !parsed.Contains(valid))
            {
                parsed.Add(valid);
            }

            index++;
        }

        if (errors.Count > 0)
        {
            throw ApiProblemException.Validation(errors);
        }

        return parsed;
    }

    private static QueryTask? TryParseTask(JsonElement task, string path, Dictionary<string, string[]> errors)
    {
        if (task.ValueKind != JsonValueKind.Object)
        {
            errors[path] = [$"Each task must be an object with entityId and field, not {BatchRequestParser.Describe(task.ValueKind)}."];
            return null;
        }

        string? personId = null;
        if (!task.TryGetProperty("entityId", out var entityId) || entityId.ValueKind != JsonValueKind.String)
        {
            errors[$"{path}.entityId"] = ["entityId is required: the person's id."];
        }
        else if ((personId = Identifiers.TryNormalizeUuid(entityId.GetString())) is null)
        {
            errors[$"{path}.entityId"] = [$"{BatchRequestParser.Quote(entityId)} {Identifiers.UuidRule}."];
        }

        if (task.TryGetProperty("entityType", out var entityType) && entityType.ValueKind != JsonValueKind.Null &&
            (entityType.ValueKind != JsonValueKind.String || entityType.GetString() != "person"))
        {
            errors[$"{path}.entityType"] = [$"entityType must be 'person' when given, not {BatchRequestParser.Quote(entityType)}."];
        }

        var fieldErrors = new Dictionary<string, string[]>();
        var field = BatchRequestParser.ReadField(task, fieldErrors);
        foreach (var (member, messages) in fieldErrors)
        {
            errors[$"{path}.{member}"] = messages;
        }

        return personId is null || fieldErrors.Count > 0 ? null : new QueryTask(personId, field);
    }
}
