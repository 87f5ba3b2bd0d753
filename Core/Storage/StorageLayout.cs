using System.Text.Json;
using ContactEnrichment.Core.Serialization;

namespace ContactEnrichment.Core.Storage;

/// <summary>A Cosmos DB container as the code and the Bicep templates both declare it.</summary>
public sealed record ContainerDefinition(
    string Name,
    string PartitionKeyPath,
    IReadOnlyList<string> UniqueKeyPaths,
    int? DefaultTtlSeconds = null);

/// <summary>
/// The database, containers and queues, read from <c>Core/Storage/containers.json</c>. The
/// Bicep templates load the same file, so the deployed layout cannot drift from the code's.
/// </summary>
public sealed record StorageLayout(string DatabaseName, IReadOnlyList<ContainerDefinition> Containers, IReadOnlyList<string> Queues)
{
    public const string Persons = "persons";
    public const string Enrichments = "enrichments";
    public const string Credits = "credits";
    public const string GlobalResults = "globalResults";
    public const string Organizations = "organizations";
    public const string RequestQueue = "enrichment-requests";
    public const string PoisonQueue = RequestQueue + "-poison";

    private static readonly Lazy<StorageLayout> Embedded = new(Load);

    public static StorageLayout Default => Embedded.Value;

    private static StorageLayout Load()
    {
        using var stream = typeof(StorageLayout).Assembly.GetManifestResourceStream("containers.json")
            ?? throw new InvalidOperationException("The embedded resource containers.json is missing.");
        var layout = JsonSerializer.Deserialize<StorageLayout>(stream, JsonDefaults.Options)
            ?? throw new InvalidOperationException("containers.json is empty.");

        string[] expected = [Persons, Enrichments, Credits, GlobalResults, Organizations];
        var missing = expected.Except(layout.Containers.Select(c => c.Name), StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || !layout.Queues.Contains(RequestQueue) || !layout.Queues.Contains(PoisonQueue))
        {
            throw new InvalidOperationException(
                $"containers.json does not declare every container and queue the code uses; missing: {string.Join(", ", missing)}.");
        }

        return layout;
    }
}
