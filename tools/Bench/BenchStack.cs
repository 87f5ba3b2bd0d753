using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Bench;

/// <summary>Azurite and the Cosmos DB stand-in on free loopback ports, as the test fixture starts them.</summary>
internal sealed class BenchStack : IDisposable
{
    public const string StorageAccountName = "devstoreaccount1";
    public const string StorageAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string CosmosKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    public const string Issuer = "https://bench.contact-enrichment.test/";
    public const string Audience = "contact-enrichment-api";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<LocalServiceProcess> services = [];
    private readonly string azuriteDirectory = Directory.CreateTempSubdirectory("contact-enrichment-bench-").FullName;

    private BenchStack(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string StorageConnectionString { get; private set; } = "";

    public Uri CosmosEndpoint { get; private set; } = new("https://127.0.0.1/");

    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public IReadOnlyList<int> ServiceProcessIds => services.Select(service => service.ProcessId).ToList();

    public static async Task<BenchStack> StartAsync(string root)
    {
        var node = LocalServiceTools.FindNode(root);
        LocalServiceTools.RequireNodeModules(root);
        var stack = new BenchStack(root);
        try
        {
            var azurite = await LocalServiceProcess.StartAsync("Azurite", node, root,
                [
                    "-r", LocalServiceTools.ExitWithParentScript(root), LocalServiceTools.AzuriteScript(root),
                    "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                    "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
                    "--location", stack.azuriteDirectory, "--skipApiVersionCheck", "--disableTelemetry",
                ],
                [Listening("Azurite Blob service is successfully listening at http://127\\.0\\.0\\.1:"),
                 Listening("Azurite Queue service is successfully listening at http://127\\.0\\.0\\.1:"),
                 Listening("Azurite Table service is successfully listening at http://127\\.0\\.0\\.1:")],
                StartTimeout);
            stack.services.Add(azurite);
            var cosmos = await LocalServiceProcess.StartAsync("Cosmos DB stand-in", node, root,
                [
                    "-r", LocalServiceTools.ExitWithParentScript(root), LocalServiceTools.CosmosScript(root),
                    "--port", "0", "--host", "127.0.0.1",
                ],
                [Listening("Ready to accept HTTPS connections at 127\\.0\\.0\\.1:")],
                StartTimeout);
            stack.services.Add(cosmos);

            var ports = azurite.ReadyMatches.Select(m => m.Groups["port"].Value).ToArray();
            stack.StorageConnectionString =
                $"DefaultEndpointsProtocol=http;AccountName={StorageAccountName};AccountKey={StorageAccountKey};" +
                $"BlobEndpoint=http://127.0.0.1:{ports[0]}/{StorageAccountName};" +
                $"QueueEndpoint=http://127.0.0.1:{ports[1]}/{StorageAccountName};" +
                $"TableEndpoint=http://127.0.0.1:{ports[2]}/{StorageAccountName};";
            stack.CosmosEndpoint = new Uri(string.Create(CultureInfo.InvariantCulture,
                $"https://127.0.0.1:{cosmos.ReadyMatches[0].Groups["port"].Value}/"));
            return stack;
        }
        catch
        {
            stack.Dispose();
            throw;
        }
    }

    /// <summary>The app's settings for this stack, named as in local.settings.json.</summary>
    public Dictionary<string, string?> AppSettings(string databaseName) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["AzureWebJobsStorage"] = StorageConnectionString,
        ["Cosmos__Endpoint"] = CosmosEndpoint.ToString(),
        ["Cosmos__Key"] = CosmosKey,
        ["Cosmos__AcceptLocalCertificate"] = "true",
        ["Cosmos__DatabaseName"] = databaseName,
        ["Cosmos__CountRequests"] = "true",
        ["Auth__Issuer"] = Issuer,
        ["Auth__Audience"] = Audience,
        ["Auth__SigningKey"] = SigningKey,
        ["Auth__OrganizationClaim"] = "org_id",
        ["Providers__Order__emails__0"] = "directory",
        ["Providers__Order__phones__0"] = "directory",
        ["Providers__Directory__Path"] = Path.Combine(Root, "demo", "directory.json"),
        ["SweepSchedule"] = "0 */5 * * * *",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public void Dispose()
    {
        foreach (var service in services)
        {
            service.Dispose();
        }

        services.Clear();
        if (Directory.Exists(azuriteDirectory))
        {
            Directory.Delete(azuriteDirectory, recursive: true);
        }
    }

    private static Regex Listening(string prefix) =>
        new(prefix + "(?<port>\\d+)", RegexOptions.CultureInvariant);
}
