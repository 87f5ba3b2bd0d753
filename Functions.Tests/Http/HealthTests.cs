using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

[Collection(LocalStackDefinition.Name)]
public sealed class HealthTests(LocalStackFixture stack) : IAsyncLifetime
{
    private const string Route = "api/health";

    // Short, so that the checks against a closed port fail fast whatever the clients' retries do.
    private static readonly Dictionary<string, string?> ShortTimeout = new() { ["Health__CheckTimeout"] = "00:00:02" };

    /// <summary>
    /// Creates the shared database and queue, so that the dependency a test leaves reachable is
    /// healthy even when the test runs before any other in the collection.
    /// </summary>
    public async Task InitializeAsync()
    {
        await using var app = await stack.StartAppAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Health_DependenciesReachable_Returns200Healthy()
    {
        await using var app = await stack.StartAppAsync();

        using var response = await app.Client.GetAsync(Route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await ApiTestContext.ReadJsonAsync(response);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("cosmos").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Health_InvalidToken_Returns200()
    {
        await using var app = await stack.StartAppAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, Route);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_CosmosUnreachable_Returns503NamingCosmos()
    {
        var endpoint = $"https://127.0.0.1:{ClosedLoopbackPort()}/";
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            InitializeStorage = false,
            Settings = new Dictionary<string, string?>(ShortTimeout) { ["Cosmos__Endpoint"] = endpoint },
        });

        using var response = await app.Client.GetAsync(Route);

        var body = await AssertUnavailableAsync(response, failing: "cosmos", healthy: "queue");
        AssertLeaksNothing(body, endpoint);
    }

    [Fact]
    public async Task Health_QueueUnreachable_Returns503NamingQueue()
    {
        var queueEndpoint = $"http://127.0.0.1:{ClosedLoopbackPort()}/{LocalStackFixture.StorageAccountName}";
        var connectionString = Regex.Replace(stack.StorageConnectionString, "QueueEndpoint=[^;]+", "QueueEndpoint=" + queueEndpoint);
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            InitializeStorage = false,
            Settings = new Dictionary<string, string?>(ShortTimeout) { ["AzureWebJobsStorage"] = connectionString },
        });

        using var response = await app.Client.GetAsync(Route);

        var body = await AssertUnavailableAsync(response, failing: "queue", healthy: "cosmos");
        AssertLeaksNothing(body, queueEndpoint);
    }

    [Fact]
    public async Task Health_StorageNotConfigured_Returns503NamingQueue()
    {
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            InitializeStorage = false,
            Settings = new Dictionary<string, string?>(ShortTimeout) { ["AzureWebJobsStorage"] = null },
        });

        using var response = await app.Client.GetAsync(Route);

        var body = await AssertUnavailableAsync(response, failing: "queue", healthy: "cosmos");
        Assert.DoesNotContain("AzureWebJobsStorage", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Health_CosmosStoppedWhileRunning_TurnsFrom200To503()
    {
        // A private stand-in of this test's own, so that stopping it leaves the shared one running.
        var root = RepositoryPaths.Root;
        var cosmos = await LocalServiceProcess.StartAsync(
            "private Cosmos DB stand-in",
            LocalServiceTools.FindNode(root),
            root,
            ["-r", LocalServiceTools.ExitWithParentScript(root), LocalServiceTools.CosmosScript(root), "--port", "0", "--host", "127.0.0.1"],
            [new Regex("Ready to accept HTTPS connections at 127\\.0\\.0\\.1:(?<port>\\d+)")],
            TimeSpan.FromSeconds(60));
        try
        {
            var endpoint = $"https://127.0.0.1:{cosmos.ReadyMatches[0].Groups["port"].Value}/";
            await using var app = await stack.StartAppAsync(new AppStartOptions
            {
                Settings = new Dictionary<string, string?>(ShortTimeout) { ["Cosmos__Endpoint"] = endpoint },
            });

            using (var before = await app.Client.GetAsync(Route))
            {
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            cosmos.Dispose();

            using var after = await app.Client.GetAsync(Route);
            var body = await AssertUnavailableAsync(after, failing: "cosmos", healthy: "queue");
            AssertLeaksNothing(body, endpoint);
        }
        finally
        {
            cosmos.Dispose();
        }
    }

    private static async Task<string> AssertUnavailableAsync(HttpResponseMessage response, string failing, string healthy)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(503, body.GetProperty("status").GetInt32());
        Assert.Equal("DEPENDENCY_UNAVAILABLE", body.GetProperty("code").GetString());
        Assert.Contains(failing, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(healthy, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty(failing).GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty(healthy).GetString());
        return text;
    }

    private static void AssertLeaksNothing(string body, string endpoint)
    {
        var authority = new Uri(endpoint).Authority;
        Assert.DoesNotContain(authority, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalStackFixture.CosmosKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(LocalStackFixture.StorageAccountKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A loopback port that nothing listens on: bound, read, then released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
