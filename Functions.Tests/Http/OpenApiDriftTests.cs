using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.Functions.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>
/// Sends real requests to every route, for success and for each documented error status, and
/// fails when a route, status code, media type or response field differs from docs/openapi.json.
/// </summary>
[Collection(LocalStackDefinition.Name)]
public sealed class OpenApiDriftTests(LocalStackFixture stack) : IAsyncLifetime
{
    private readonly CosmosFault fault = new();
    private readonly OpenApiContract contract = new(File.ReadAllText(CommittedPath));
    private RunningApp app = null!;

    private static string CommittedPath => Path.Combine(RepositoryPaths.Root, "docs", "openapi.json");

    public async Task InitializeAsync() =>
        app = await stack.StartAppAsync(new AppStartOptions
        {
            ConfigureServices = services => services.AddSingleton<RequestHandler>(fault),
        });

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Document_Served_IsCommittedBytes()
    {
        using var response = await app.Client.GetAsync("api/openapi.json");
        var served = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(File.ReadAllBytes(CommittedPath), served);
    }

    [Fact]
    public void Document_Committed_IsPrettyAndStable()
    {
        var text = File.ReadAllText(CommittedPath);
        var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        var pretty = node.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

        Assert.Equal(pretty + "\n", text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Document_Routes_MatchFunctionCatalog()
    {
        var served = FunctionCatalog.LoadDefault().Functions
            .Select(function => function.Trigger)
            .OfType<HttpTriggerBinding>()
            .SelectMany(trigger => trigger.Methods!.Select(method =>
                new OpenApiOperation(OpenApiContract.PathOf(trigger.Route!), method.ToUpperInvariant())))
            .ToHashSet();
        var documented = contract.Operations.ToHashSet();

        var undocumented = served.Except(documented).ToList();
        var notServed = documented.Except(served).Where(operation => !contract.IsOptional(operation.Path)).ToList();

        Assert.True(undocumented.Count == 0, $"Routes missing from docs/openapi.json: {string.Join(", ", undocumented)}");
        Assert.True(notServed.Count == 0, $"Documented routes the app does not serve: {string.Join(", ", notServed)}");
    }

    [Fact]
    public async Task Responses_OfEveryRoute_MatchDocument()
    {
        var problems = new List<string>();
        var seen = new HashSet<(OpenApiOperation, int)>();
        foreach (var exchange in await ExchangeAllAsync())
        {
            problems.AddRange(contract.Check(exchange.Operation, exchange.Status, exchange.MediaType, exchange.Body));
            if (exchange.Status != exchange.Expected)
            {
                problems.Add($"{exchange.Operation.Method} {exchange.Name}: expected {exchange.Expected}, got {exchange.Status}: {exchange.Body}");
            }

            seen.Add((exchange.Operation, exchange.Status));
        }

        var untested = contract.Operations
            .Where(operation => !contract.IsOptional(operation.Path))
            .SelectMany(operation => contract.StatusesOf(operation).Select(status => (operation, status)))
            .Where(pair => !seen.Contains(pair))
            .Select(pair => $"{pair.operation.Method} {pair.operation.Path} {pair.status}")
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(untested.Count == 0, $"Documented responses no request produced: {string.Join(", ", untested)}");
    }

    private sealed record Exchange(string Name, OpenApiOperation Operation, int Expected, int Status, string? MediaType, string Body);

    private async Task<List<Exchange>> ExchangeAllAsync()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(4, 1000);
        var poor = new ApiTestContext(stack, app);
        var poorIds = await poor.SeedPersonsAsync(1, 1);
        var phone = new ContactPhone("+12022243441", "fixed_line", "directory", TimeProvider.System.GetUtcNow()) { Label = "Washington office" };
        var email = new ContactEmail("jane.doe@example.com", "directory", TimeProvider.System.GetUtcNow());
        await context.Service<PersonRepository>().MergeContactsAsync(context.OrgId, ids[0], new ContactData([email], [phone]), null, CancellationToken.None);

        const string Single = "/v1/operations/enrichment/{personId}";
        const string Cancel = "/v1/operations/enrichment/{personId}/cancel";
        const string Batch = "/v1/operations/enrichment/batch";
        const string Query = "/v1/operations/enrichment/batch/query";
        const string Persons = "/v1/entities/persons";
        const string Person = "/v1/entities/persons/{personId}";
        const string Balance = "/v1/operations/credits/balance";
        var unknown = Guid.NewGuid().ToString();
        var results = new List<Exchange>();

        async Task Send(string name, string method, string path, string url, string? body, int expected,
            ApiTestContext? caller = null, bool anonymous = false, string contentType = "application/json")
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "api" + url);
            if (!anonymous)
            {
                var sender = caller ?? context;
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.CreateToken(sender.OrgId, sender.UserId));
            }

            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, contentType);
            }

            using var response = await app.Client.SendAsync(request);
            results.Add(new Exchange(name, new OpenApiOperation(path, method), expected, (int)response.StatusCode,
                response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync()));
        }

        string Start(string field, bool dryRun = false) => JsonSerializer.Serialize(new { field, dryRun });
        string StartMany(IEnumerable<string> personIds, string field, bool dryRun = false) =>
            JsonSerializer.Serialize(new { personIds, field, dryRun });

        await Send("document", "GET", "/openapi.json", "/openapi.json", null, 200, anonymous: true);
        if (FunctionCatalog.LoadDefault().Functions.Any(function => function.Trigger is HttpTriggerBinding { Route: "health" }))
        {
            using var health = await app.Client.GetAsync("api/health");
            results.Add(new Exchange("health", new OpenApiOperation("/health", "GET"), (int)health.StatusCode, (int)health.StatusCode,
                health.Content.Headers.ContentType?.MediaType, await health.Content.ReadAsStringAsync()));
        }

        var import = JsonSerializer.Serialize(new { persons = new[] { new { id = Guid.NewGuid().ToString(), fullName = "Ana María Pérez", companyDomain = "example.org" } } });
        await Send("import", "POST", Persons, "/v1/entities/persons", import, 200);
        await Send("import invalid", "POST", Persons, "/v1/entities/persons", "{\"persons\":[]}", 400);
        await Send("import anonymous", "POST", Persons, "/v1/entities/persons", import, 401, anonymous: true);
        await Send("import as text", "POST", Persons, "/v1/entities/persons", import, 415, contentType: "text/plain");
        await Send("person", "GET", Person, $"/v1/entities/persons/{ids[0]}", null, 200);
        await Send("person invalid", "GET", Person, "/v1/entities/persons/nope", null, 400);
        await Send("person anonymous", "GET", Person, $"/v1/entities/persons/{ids[0]}", null, 401, anonymous: true);
        await Send("person unknown", "GET", Person, $"/v1/entities/persons/{unknown}", null, 404);
        await Send("balance", "GET", Balance, "/v1/operations/credits/balance", null, 200);
        await Send("balance anonymous", "GET", Balance, "/v1/operations/credits/balance", null, 401, anonymous: true);

        await Send("batch dry run", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(ids, "phones", dryRun: true), 200);
        await Send("batch", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(ids[..2], "phones"), 200);
        await Send("batch dry run with reuse", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(ids, "phones", dryRun: true), 200);
        await Send("batch invalid", "POST", Batch, "/v1/operations/enrichment/batch", "{\"personIds\":[\"nope\"]}", 400);
        await Send("batch anonymous", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(ids, "phones"), 401, anonymous: true);
        await Send("batch poor", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(poorIds, "phones"), 402, poor);
        await Send("batch as form", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(ids, "phones"), 415,
            contentType: "application/x-www-form-urlencoded");

        await Send("single", "POST", Single, $"/v1/operations/enrichment/{ids[2]}", Start("emails"), 200);
        await Send("single dry run", "POST", Single, $"/v1/operations/enrichment/{ids[3]}", Start("emails", dryRun: true), 200);
        await Send("single invalid", "POST", Single, $"/v1/operations/enrichment/{ids[3]}", "{\"field\":\"faxes\"}", 400);
        await Send("single anonymous", "POST", Single, $"/v1/operations/enrichment/{ids[3]}", Start("emails"), 401, anonymous: true);
        await Send("single poor", "POST", Single, $"/v1/operations/enrichment/{poorIds[0]}", Start("phones"), 402, poor);
        await Send("single unknown", "POST", Single, $"/v1/operations/enrichment/{unknown}", Start("emails"), 404);
        await Send("single as xml", "POST", Single, $"/v1/operations/enrichment/{ids[3]}", Start("emails"), 415, contentType: "application/xml");

        await Send("get", "GET", Single, $"/v1/operations/enrichment/{ids[0]}?field=phones", null, 200);
        await Send("get invalid", "GET", Single, $"/v1/operations/enrichment/{ids[0]}?field=faxes", null, 400);
        await Send("get anonymous", "GET", Single, $"/v1/operations/enrichment/{ids[0]}?field=phones", null, 401, anonymous: true);
        await Send("get unknown", "GET", Single, $"/v1/operations/enrichment/{ids[3]}?field=phones", null, 404);

        await Send("cancel", "POST", Cancel, $"/v1/operations/enrichment/{ids[0]}/cancel?field=phones", null, 200);
        await Send("cancel again", "POST", Cancel, $"/v1/operations/enrichment/{ids[0]}/cancel?field=phones", null, 409);
        await Send("cancel invalid", "POST", Cancel, $"/v1/operations/enrichment/{ids[0]}/cancel", null, 400);
        await Send("cancel anonymous", "POST", Cancel, $"/v1/operations/enrichment/{ids[1]}/cancel?field=phones", null, 401, anonymous: true);
        await Send("cancel unknown", "POST", Cancel, $"/v1/operations/enrichment/{unknown}/cancel?field=phones", null, 404);

        await MarkFailedAsync(context, ids[1]);
        var tasks = JsonSerializer.Serialize(new { tasks = ids.Select(id => new { entityId = id, field = "phones" }).Append(new { entityId = ids[2], field = "emails" }) });
        await Send("query", "POST", Query, "/v1/operations/enrichment/batch/query", tasks, 200);
        await Send("query invalid", "POST", Query, "/v1/operations/enrichment/batch/query", "{\"tasks\":[]}", 400);
        await Send("query anonymous", "POST", Query, "/v1/operations/enrichment/batch/query", tasks, 401, anonymous: true);
        await Send("query as text", "POST", Query, "/v1/operations/enrichment/batch/query", tasks, 415, contentType: "text/plain");

        fault.Enabled = true;
        try
        {
            await Send("import failing", "POST", Persons, "/v1/entities/persons", import, 500);
            await Send("person failing", "GET", Person, $"/v1/entities/persons/{ids[0]}", null, 500);
            await Send("balance failing", "GET", Balance, "/v1/operations/credits/balance", null, 500);
            await Send("batch failing", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(ids, "emails"), 500);
            await Send("single failing", "POST", Single, $"/v1/operations/enrichment/{ids[3]}", Start("emails"), 500);
            await Send("get failing", "GET", Single, $"/v1/operations/enrichment/{ids[0]}?field=phones", null, 500);
            await Send("cancel failing", "POST", Cancel, $"/v1/operations/enrichment/{ids[2]}/cancel?field=emails", null, 500);
            await Send("query failing", "POST", Query, "/v1/operations/enrichment/batch/query", tasks, 500);
        }
        finally
        {
            fault.Enabled = false;
        }

        fault.Unavailable = true;
        try
        {
            await Send("import unavailable", "POST", Persons, "/v1/entities/persons", import, 503);
            await Send("person unavailable", "GET", Person, $"/v1/entities/persons/{ids[0]}", null, 503);
            await Send("balance unavailable", "GET", Balance, "/v1/operations/credits/balance", null, 503);
            await Send("batch unavailable", "POST", Batch, "/v1/operations/enrichment/batch", StartMany(ids, "emails"), 503);
            await Send("single unavailable", "POST", Single, $"/v1/operations/enrichment/{ids[3]}", Start("emails"), 503);
            await Send("get unavailable", "GET", Single, $"/v1/operations/enrichment/{ids[0]}?field=phones", null, 503);
            await Send("cancel unavailable", "POST", Cancel, $"/v1/operations/enrichment/{ids[2]}/cancel?field=emails", null, 503);
            await Send("query unavailable", "POST", Query, "/v1/operations/enrichment/batch/query", tasks, 503);
        }
        finally
        {
            fault.Unavailable = false;
        }

        return results;
    }

    // A failed record with an error object, so the query response exercises the error schema.
    private static async Task MarkFailedAsync(ApiTestContext context, string personId)
    {
        var document = await context.Service<EnrichmentRepository>().FindLatestAsync(
            context.OrgId, EnrichmentField.Phones, personId, CancellationToken.None);
        Assert.NotNull(document);
        await context.Service<CosmosStore>().Enrichments.UpsertItemAsync(
            document with
            {
                Status = EnrichmentStatus.Failed,
                DataFound = false,
                Error = new EnrichmentError("PROVIDER_UNAVAILABLE", "Every provider failed."),
                ETag = null,
            },
            new PartitionKey(context.OrgId));
    }

    /// <summary>
    /// Fails every Cosmos DB request while enabled, to produce the API's 500 response, or returns
    /// 503 for every request while <see cref="Unavailable"/> is set, to produce the API's 503.
    /// </summary>
    private sealed class CosmosFault : RequestHandler
    {
        private volatile bool enabled;
        private volatile bool unavailable;

        public bool Enabled
        {
            get => enabled;
            set => enabled = value;
        }

        public bool Unavailable
        {
            get => unavailable;
            set => unavailable = value;
        }

        public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            if (enabled)
            {
                throw new InvalidOperationException("Injected Cosmos DB failure.");
            }

            if (unavailable)
            {
                var response = new ResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable, request, errorMessage: null);
                response.Headers["x-ms-retry-after-ms"] = "5";
                return Task.FromResult(response);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
