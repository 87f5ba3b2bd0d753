using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.DevHost;

namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>
/// Starts Azurite and the Cosmos DB stand-in once per test run, on free loopback ports, and
/// stops them by process id when the run ends. Tests join it with
/// <c>[Collection(LocalStackDefinition.Name)]</c>. Both services come from the repository's
/// node_modules (<c>npm ci</c>) and run with the <c>node</c> on PATH.
/// </summary>
public sealed partial class LocalStackFixture : IAsyncLifetime
{
    /// <summary>The well-known account of the Azure Storage emulators.</summary>
    public const string StorageAccountName = "devstoreaccount1";

    /// <summary>The well-known key of <see cref="StorageAccountName"/>; it protects nothing.</summary>
    public const string StorageAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The Cosmos DB emulator's well-known key; the stand-in does not check keys.</summary>
    public const string CosmosKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public const string Issuer = "https://tests.contact-enrichment.test/";
    public const string Audience = "contact-enrichment-api";
    public const string OrganizationClaim = "org_id";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<LocalServiceProcess> services = [];
    private string? azuriteDirectory;

    /// <summary>Connection string of the test run's Azurite, with its blob, queue and table ports.</summary>
    public string StorageConnectionString { get; private set; } = "";

    /// <summary>Endpoint of the test run's Cosmos DB stand-in (HTTPS, self-signed certificate).</summary>
    public Uri CosmosEndpoint { get; private set; } = new("https://127.0.0.1/");

    /// <summary>A Base64 HS256 key made for this test run.</summary>
    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The app's settings pointing at this run's services, named as in local.settings.json.
    /// Pass them, changed as needed, to <see cref="StartAppAsync"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    /// <summary>Auth options matching <see cref="Settings"/>, for tests that mint or validate tokens.</summary>
    public AuthOptions AuthOptions => new()
    {
        Issuer = Issuer,
        Audience = Audience,
        SigningKey = SigningKey,
        OrganizationClaim = OrganizationClaim,
    };

    public async Task InitializeAsync()
    {
        var root = RepositoryPaths.Root;
        var node = LocalServiceTools.FindNode(root);
        LocalServiceTools.RequireNodeModules(root);
        AppDomain.CurrentDomain.ProcessExit += StopServicesOnExit;

        azuriteDirectory = Directory.CreateTempSubdirectory("contact-enrichment-azurite-").FullName;
        var azurite = await StartAsync("Azurite", node, root,
            [
                "-r", LocalServiceTools.ExitWithParentScript(root), LocalServiceTools.AzuriteScript(root),
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", "0", "--queuePort", "0", "--tablePort", "0",
                "--location", azuriteDirectory, "--skipApiVersionCheck", "--disableTelemetry",
            ],
            [AzuriteListening("Blob"), AzuriteListening("Queue"), AzuriteListening("Table")]);
        var cosmos = await StartAsync("Cosmos DB stand-in", node, root,
            [
                "-r", LocalServiceTools.ExitWithParentScript(root), LocalServiceTools.CosmosScript(root),
                "--port", "0", "--host", "127.0.0.1",
            ],
            [CosmosListening()]);

        var ports = azurite.ReadyMatches.Select(m => m.Groups["port"].Value).ToArray();
        StorageConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={StorageAccountName};AccountKey={StorageAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ports[0]}/{StorageAccountName};" +
            $"QueueEndpoint=http://127.0.0.1:{ports[1]}/{StorageAccountName};" +
            $"TableEndpoint=http://127.0.0.1:{ports[2]}/{StorageAccountName};";
        CosmosEndpoint = new Uri($"https://127.0.0.1:{cosmos.ReadyMatches[0].Groups["port"].Value}/");
        Settings = CreateSettings(root);
    }

    /// <summary>
    /// Empties the request queue and the poison queues. Tests that start the queue listeners call
    /// it first, because earlier tests leave messages that the listeners would otherwise process.
    /// Safe only because the tests of this collection run one at a time.
    /// </summary>
    public async Task ClearQueuesAsync()
    {
        string[] names = [StorageLayout.RequestQueue, StorageLayout.PoisonQueue, StorageLayout.PoisonQueue + "-poison"];
        foreach (var name in names)
        {
            var queue = new Azure.Storage.Queues.QueueClient(StorageConnectionString, name);
            await queue.CreateIfNotExistsAsync();
            await queue.ClearMessagesAsync();
        }
    }

    /// <summary>
    /// Starts the app in this process with DevHost on a free loopback port, with
    /// <see cref="Settings"/> under <paramref name="options"/>' settings.
    /// </summary>
    public async Task<RunningApp> StartAppAsync(AppStartOptions? options = null)
    {
        options ??= new AppStartOptions();
        var settings = new Dictionary<string, string?>(Settings, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in options.Settings)
        {
            settings[name] = value;
        }

        var application = DevHostApplication.Build(new DevHostOptions
        {
            Url = "http://127.0.0.1:0",
            Settings = settings,
            ConfigureServices = options.ConfigureServices,
            EnableQueueListeners = options.EnableQueueListeners,
            EnableTimers = options.EnableTimers,
            LoadLocalSettings = false,
            LoadEnvironmentVariables = false,
            Functions = options.Functions,
            HostSettings = options.HostSettings,
        });
        try
        {
            if (options.InitializeStorage)
            {
                await application.Services.GetRequiredService<StorageInitializer>().InitializeAsync(CancellationToken.None);
            }

            await application.StartAsync();
            return new RunningApp(application);
        }
        catch
        {
            await application.DisposeAsync();
            throw;
        }
    }

    /// <summary>Mints a bearer token that the app started by <see cref="StartAppAsync"/> accepts.</summary>
    public string CreateToken(string organizationId, string userId, TimeSpan? lifetime = null) =>
        new LocalTokenIssuer(AuthOptions, TimeProvider.System).Issue(organizationId, userId, lifetime);

    public Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= StopServicesOnExit;
        StopServices();
        if (azuriteDirectory is not null && Directory.Exists(azuriteDirectory))
        {
            Directory.Delete(azuriteDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task<LocalServiceProcess> StartAsync(string name, string node, string root, string[] arguments, Regex[] readyPatterns)
    {
        var service = await LocalServiceProcess.StartAsync(name, node, root, arguments, readyPatterns, StartTimeout);
        lock (services)
        {
            services.Add(service);
        }

        return service;
    }

    private Dictionary<string, string?> CreateSettings(string root)
    {
        return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsStorage"] = StorageConnectionString,
            ["Cosmos__Endpoint"] = CosmosEndpoint.ToString(),
            ["Cosmos__Key"] = CosmosKey,
            ["Cosmos__AcceptLocalCertificate"] = "true",
            ["Cosmos__DatabaseName"] = "enrichment",
            ["Auth__Issuer"] = Issuer,
            ["Auth__Audience"] = Audience,
            ["Auth__SigningKey"] = SigningKey,
            ["Auth__OrganizationClaim"] = OrganizationClaim,
            ["Providers__Order__emails__0"] = "directory",
            ["Providers__Order__phones__0"] = "directory",
            ["Providers__Directory__Path"] = Path.Combine(root, "demo", "directory.json"),
            ["SweepSchedule"] = "0 */5 * * * *",
        };
    }

    private void StopServicesOnExit(object? sender, EventArgs e) => StopServices();

    private void StopServices()
    {
        lock (services)
        {
            foreach (var service in services)
            {
                service.Dispose();
            }

            services.Clear();
        }
    }

    private static Regex AzuriteListening(string service) =>
        new($"Azurite {service} service is successfully listening at http://127\\.0\\.0\\.1:(?<port>\\d+)", RegexOptions.CultureInvariant);

    private static Regex CosmosListening() =>
        new("Ready to accept HTTPS connections at 127\\.0\\.0\\.1:(?<port>\\d+)", RegexOptions.CultureInvariant);
}
