using System.ComponentModel.DataAnnotations;

namespace ContactEnrichment.Core.Storage;

/// <summary>Connection to Cosmos DB (settings section <c>Cosmos</c>).</summary>
public sealed class CosmosOptions
{
    public const string SectionName = "Cosmos";

    /// <summary>Account endpoint, for example <c>https://myaccount.documents.azure.com:443/</c>.</summary>
    [Required]
    [Url]
    public string Endpoint { get; set; } = "";

    /// <summary>
    /// Account key, for the local stand-in only. When empty the client authenticates with
    /// <c>DefaultAzureCredential</c> (the Function App's managed identity in Azure).
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Accepts the stand-in's self-signed certificate and talks only to <see cref="Endpoint"/>.
    /// Local development only: never set it against a real account.
    /// </summary>
    public bool AcceptLocalCertificate { get; set; }

    /// <summary>Database name; defaults to the one declared in containers.json.</summary>
    public string? DatabaseName { get; set; }

    /// <summary>Counts every request the Cosmos client sends; read by benchmarks and tests.</summary>
    public bool CountRequests { get; set; }

    /// <summary>
    /// Maximum number of repeats, after the SDK's own retries, of a Cosmos DB operation that
    /// failed with 429, 503, 408 or 449 (0 to 10, and 0 turns the app's retry off). The app
    /// repeats only operations that are safe to repeat.
    /// </summary>
    [Range(0, 10)]
    public int TransientRetries { get; set; } = 3;
}
