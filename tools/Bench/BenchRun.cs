using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Organizations;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.DevHost;

namespace ContactEnrichment.Bench;

/// <summary>Figures of one concurrency level of one request kind, app and floor side by side.</summary>
internal sealed record LevelFigures(
    string Kind, int Clients, LoadResult App, LoadResult Floor, double CosmosPerRequest, double QueuePerRequest, OperationCounts Operations);

/// <summary>Processing figures of one provider: time from start of the listeners until every record was terminal.</summary>
internal sealed record ProcessingFigures(
    string Provider, int Enrichments, double Seconds, double CosmosPerEnrichment, double QueuePerEnrichment, OperationCounts Operations)
{
    public double PerSecond => Enrichments / Seconds;
}

internal sealed record RunFigures(IReadOnlyList<LevelFigures> Levels, IReadOnlyList<ProcessingFigures> Processing);

/// <summary>
/// One run of every benchmark against a database of its own: batch requests of new and reused
/// persons at each concurrency level with their floor, then processing with each provider.
/// </summary>
internal sealed partial class BenchRun(BenchStack stack, BenchOptions options, int runIndex)
{
    private const int BatchSize = 100;
    private const string DirectoryProviderName = "directory";
    private static readonly TimeSpan StubLatency = TimeSpan.FromMilliseconds(100);

    private readonly List<(string Name, string Domain)> directoryPeople = ReadDirectoryPeople(stack.Root);
    private int personCounter;

    public async Task<RunFigures> ExecuteAsync(HttpClient http)
    {
        var levels = new List<LevelFigures>();
        foreach (var clients in options.ClientLevels)
        {
            // Each level gets databases of its own, app and floor apart, so both meet containers of the
            // same size: the stand-in's queries scan their whole container.
            var database = $"bench{runIndex}c{clients}";
            var counter = new OperationCounter();
            await using var app = await StartAppAsync(database, listeners: false, counter, configure: null, settings: null);
            await using var floorStorage = await BuildInitializedAsync(database + "f");
            using var floor = new FloorClient(stack, database + "f", parallelWrites: 32);
            await floor.CreateQueueAsync();
            var batches = await SeedBatchesAsync([app.Services, floorStorage.Services], clients, BenchOptions.RequestsPerClient(clients));
            Progress($"{clients} clients: seeded {batches.Count * BatchSize} persons");
            levels.Add(await MeasureAsync("new", clients, app, counter, batches,
                batch => PostBatchAsync(http, app.BaseAddress, batch),
                batch => floor.StartAsync(batch.OrgId, batch.PersonIds, TimeProvider.System.GetUtcNow(), CancellationToken.None)));
            levels.Add(await MeasureAsync("reused", clients, app, counter, batches,
                batch => PostBatchAsync(http, app.BaseAddress, batch),
                batch => floor.ReadAsync(batch.OrgId, batch.PersonIds, CancellationToken.None)));
            Progress($"{clients} clients: measured");
        }

        var processing = new List<ProcessingFigures>
        {
            await MeasureProcessingAsync(http, DirectoryProviderName, useStub: false),
            await MeasureProcessingAsync(http, FixedLatencyProvider.ProviderName, useStub: true),
        };
        return new RunFigures(levels, processing);
    }

    private static async Task<LevelFigures> MeasureAsync(
        string kind, int clients, DevHostApplication app, OperationCounter counter, List<Batch> batches,
        Func<Batch, Task> appCall, Func<Batch, Task> floorCall)
    {
        var storage = app.Services.GetRequiredService<StorageRequestCounter>();
        storage.Reset();
        counter.Reset();
        var appResult = await LoadRunner.RunAsync(batches, clients, appCall);
        var cosmos = (double)storage.CosmosRequests / batches.Count;
        var queue = (double)storage.QueueRequests / batches.Count;
        var operations = counter.Snapshot();

        var floorResult = await LoadRunner.RunAsync(batches, clients, floorCall);
        return new LevelFigures(kind, clients, appResult, floorResult, cosmos, queue, operations);
    }

    private async Task<ProcessingFigures> MeasureProcessingAsync(HttpClient http, string provider, bool useStub)
    {
        var database = $"bench{runIndex}{provider}";
        var counter = new OperationCounter();
        await using var app = await StartAppAsync(database, listeners: false, counter, configure: null, settings: null);
        using var floor = new FloorClient(stack, database, parallelWrites: 32);
        var queue = new QueueClient(stack.StorageConnectionString, StorageLayout.RequestQueue);
        await queue.ClearMessagesAsync();

        var count = options.ProcessingEnrichments;
        var batches = await SeedBatchesAsync([app.Services], 1, count / BatchSize);
        var orgId = batches[0].OrgId;
        var storage = app.Services.GetRequiredService<StorageRequestCounter>();
        storage.Reset();
        counter.Reset();
        foreach (var batch in batches)
        {
            await PostBatchAsync(http, app.BaseAddress, batch);
        }

        var requestCosmos = storage.CosmosRequests;
        var requestQueue = storage.QueueRequests;
        var requestOperations = counter.Snapshot();

        var processingCounter = new OperationCounter();
        var settings = new Dictionary<string, string?>
        {
            ["Providers__Order__emails__0"] = provider,
            ["Providers__Order__phones__0"] = provider,
        };
        Action<IServiceCollection>? configure = useStub
            ? services => services.AddContactProvider(new FixedLatencyProvider(StubLatency, TimeProvider.System))
            : null;
        var watch = Stopwatch.StartNew();
        await using (var processor = await StartAppAsync(database, listeners: true, processingCounter, configure, settings))
        {
            while (true)
            {
                var (terminal, total) = await floor.CountTerminalAsync(orgId, CancellationToken.None);
                if (terminal == total && total == count)
                {
                    break;
                }

                if (watch.Elapsed > options.ProcessingTimeout)
                {
                    // Reported as what was done in the time allowed, rather than failing the whole bench.
                    Progress($"processing with {provider}: only {terminal} of {count} terminal after {watch.Elapsed.TotalSeconds:F0} s");
                    count = terminal;
                    break;
                }

                await Task.Delay(50);
            }

            watch.Stop();
            Progress($"processing with {provider}: {count} enrichments in {watch.Elapsed.TotalSeconds:F1} s");
            var processed = processor.Services.GetRequiredService<StorageRequestCounter>();
            var operations = requestOperations + processingCounter.Snapshot();
            return new ProcessingFigures(
                provider, count, watch.Elapsed.TotalSeconds,
                (double)(requestCosmos + processed.CosmosRequests) / count,
                (double)(requestQueue + processed.QueueRequests) / count,
                operations);
        }
    }

    private async Task<DevHostApplication> StartAppAsync(
        string database, bool listeners, OperationCounter counter, Action<IServiceCollection>? configure,
        IReadOnlyDictionary<string, string?>? settings)
    {
        var all = stack.AppSettings(database);
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }

        var application = DevHostApplication.Build(new DevHostOptions
        {
            Url = "http://127.0.0.1:0",
            Settings = all,
            EnableQueueListeners = listeners,
            EnableTimers = false,
            LoadLocalSettings = false,
            LoadEnvironmentVariables = false,
            ConfigureServices = services =>
            {
                services.AddSingleton<RequestHandler>(counter);
                configure?.Invoke(services);
            },
        });
        await application.Services.GetRequiredService<StorageInitializer>().InitializeAsync(CancellationToken.None);
        await application.StartAsync();
        return application;
    }

    /// <summary>The app's services for another database, not started: the floor's storage is created and seeded with them.</summary>
    private async Task<DevHostApplication> BuildInitializedAsync(string database)
    {
        var application = DevHostApplication.Build(new DevHostOptions
        {
            Url = "http://127.0.0.1:0",
            Settings = stack.AppSettings(database),
            EnableQueueListeners = false,
            EnableTimers = false,
            LoadLocalSettings = false,
            LoadEnvironmentVariables = false,
        });
        await application.Services.GetRequiredService<StorageInitializer>().InitializeAsync(CancellationToken.None);
        return application;
    }

    private void Progress(string message) =>
        Console.Error.WriteLine($"bench: run {runIndex}: {message}");

    /// <summary>
    /// Creates one organization per client, with credits and <paramref name="perClient"/> batches
    /// of new persons, in each of the databases that <paramref name="targets"/> serve.
    /// </summary>
    private async Task<List<Batch>> SeedBatchesAsync(IReadOnlyList<IServiceProvider> targets, int clients, int perClient)
    {
        var batches = new List<Batch>();
        var documents = new List<PersonDocument>();
        var now = TimeProvider.System.GetUtcNow();
        for (var client = 0; client < clients; client++)
        {
            var orgId = $"org_bench_{runIndex}_{Guid.NewGuid():N}"[..32];
            foreach (var services in targets)
            {
                await services.GetRequiredService<OrganizationRegistry>().RegisterAsync(orgId, CancellationToken.None);
                await services.GetRequiredService<CreditService>().GrantAsync(orgId, "bench", 1_000_000, CancellationToken.None);
            }

            for (var request = 0; request < perClient; request++)
            {
                var ids = Enumerable.Range(0, BatchSize).Select(_ => Guid.NewGuid().ToString()).ToList();
                batches.Add(new Batch(orgId, ids));
                foreach (var id in ids)
                {
                    var (name, domain) = NextPerson();
                    documents.Add(new PersonDocument
                    {
                        Id = id, OrgId = orgId, FullName = name, CompanyDomain = domain, CreatedAt = now, UpdatedAt = now,
                    });
                }
            }
        }

        foreach (var services in targets)
        {
            var persons = services.GetRequiredService<PersonRepository>();
            await Parallel.ForEachAsync(documents, new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (document, token) => await persons.UpsertAsync(document, token));
        }

        return batches;
    }

    /// <summary>Every tenth person is a person of the demo directory, so the directory finds some data.</summary>
    private (string Name, string Domain) NextPerson()
    {
        var index = Interlocked.Increment(ref personCounter);
        return index % 10 == 0 && directoryPeople.Count > 0
            ? directoryPeople[index / 10 % directoryPeople.Count]
            : ($"Bench Person {runIndex}-{index}", "bench.example");
    }

    private async Task PostBatchAsync(HttpClient http, Uri baseAddress, Batch batch)
    {
        var token = new LocalTokenIssuer(new AuthOptions
        {
            Issuer = BenchStack.Issuer,
            Audience = BenchStack.Audience,
            SigningKey = stack.SigningKey,
            OrganizationClaim = "org_id",
        }, TimeProvider.System).Issue(batch.OrgId, "user_bench", TimeSpan.FromHours(1));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "api/v1/operations/enrichment/batch"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new StringContent(
            JsonSerializer.Serialize(new { personIds = batch.PersonIds, field = "emails" }), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The batch request returned {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static List<(string, string)> ReadDirectoryPeople(string root)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "demo", "directory.json")));
        return document.RootElement.GetProperty("entries").EnumerateArray()
            .Where(entry => entry.TryGetProperty("companyDomain", out _))
            .Select(entry => (entry.GetProperty("fullName").GetString()!, entry.GetProperty("companyDomain").GetString()!))
            .ToList();
    }
}

internal sealed record Batch(string OrgId, IReadOnlyList<string> PersonIds);
