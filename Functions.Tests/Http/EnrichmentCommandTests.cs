using System.Net;
using System.Text.Json;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

[Collection(LocalStackDefinition.Name)]
public sealed class EnrichmentCommandTests(LocalStackFixture stack) : IAsyncLifetime
{
    private const string Valid = "550e8400-e29b-41d4-a716-446655440000";
    private readonly StorageWriteRecorder recorder = new();
    private RunningApp app = null!;

    /// <summary>Route person id, body, and the member the 400 must name.</summary>
    public static TheoryData<string, string, string> MalformedStarts => new()
    {
        { Valid, "{field:", "body" },
        { Valid, "", "body" },
        { Valid, "[]", "body" },
        { Valid, "\"phones\"", "body" },
        { Valid, "null", "body" },
        { Valid, "{}", "field" },
        { Valid, "{\"field\":null}", "field" },
        { Valid, "{\"field\":\"addresses\"}", "field" },
        { Valid, "{\"field\":\"PHONES\"}", "field" },
        { Valid, "{\"field\":[\"phones\"]}", "field" },
        { Valid, "{\"field\":\"phones\",\"dryRun\":\"true\"}", "dryRun" },
        { Valid, "{\"field\":\"phones\",\"dryRun\":1}", "dryRun" },
        { Valid, $"{{\"field\":\"phones\",\"padding\":\"{new string('x', 70_000)}\"}}", "body" },
        { "not-a-uuid", "{\"field\":\"phones\"}", "personId" },
        { "00000000-0000-0000-0000-000000000000", "{\"field\":\"phones\"}", "personId" },
        { "550e8400e29b41d4a716446655440000", "{\"field\":\"phones\"}", "personId" },
        { "%7B550e8400-e29b-41d4-a716-446655440000%7D", "{\"field\":\"phones\"}", "personId" },
        { "550e8400-e29b-41d4-a716-44665544000g", "{\"field\":\"phones\"}", "personId" },
        { "550e8400-e29b-41d4-a716-446655440000%20", "{\"field\":\"phones\"}", "personId" },
    };

    /// <summary>Route person id, query string, and the member the 400 must name.</summary>
    public static TheoryData<string, string, string> MalformedCancels => new()
    {
        { Valid, "", "field" },
        { Valid, "?field=", "field" },
        { Valid, "?field=addresses", "field" },
        { Valid, "?field=Emails", "field" },
        { Valid, "?field=emails&field=phones", "field" },
        { "not-a-uuid", "?field=emails", "personId" },
        { "00000000-0000-0000-0000-000000000000", "?field=emails", "personId" },
        { "urn:uuid:550e8400-e29b-41d4-a716-446655440000", "?field=emails", "personId" },
    };

    public async Task InitializeAsync() =>
        app = await stack.StartAppAsync(new AppStartOptions { ConfigureServices = recorder.Register });

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [MemberData(nameof(MalformedStarts))]
    public async Task Start_MalformedInput_Returns400NamingMember(string personId, string body, string member)
    {
        var context = new ApiTestContext(stack, app);
        await context.SeedPersonsAsync(0, 100);
        await context.AddPersonAsync(Valid);

        using var response = await context.PostAsync($"api/v1/operations/enrichment/{personId}", body);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("VALIDATION_ERROR", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out var messages), $"errors lack {member}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Start_KnownPerson_ReturnsPendingRecord()
    {
        var context = new ApiTestContext(stack, app);
        var id = (await context.SeedPersonsAsync(1, 100))[0];

        using var first = await context.PostAsync($"api/v1/operations/enrichment/{id.ToUpperInvariant()}", "{\"field\":\"phones\"}");
        var record = await ApiTestContext.ReadJsonAsync(first);
        using var second = await context.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"phones\",\"dryRun\":false}");
        var again = await ApiTestContext.ReadJsonAsync(second);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(JsonValueKind.Object, record.ValueKind);
        Assert.Equal(id, record.GetProperty("entityId").GetString());
        Assert.Equal("pending", record.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(record.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(10, (await context.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Start_UnknownOrForeignPerson_Returns404()
    {
        var owner = new ApiTestContext(stack, app);
        var foreign = (await owner.SeedPersonsAsync(1, 100))[0];
        var caller = new ApiTestContext(stack, app);
        await caller.SeedPersonsAsync(0, 100);

        foreach (var id in new[] { foreign, Guid.NewGuid().ToString() })
        {
            using var response = await caller.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"emails\"}");
            var problem = await ApiTestContext.ReadJsonAsync(response);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("NOT_FOUND", problem.GetProperty("code").GetString());
            Assert.Contains(id, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await caller.BalanceAsync()).Reserved);
        Assert.Equal(0, (await owner.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Start_ShortOfCredits_Returns402()
    {
        var context = new ApiTestContext(stack, app);
        var id = (await context.SeedPersonsAsync(1, 9))[0];

        using var response = await context.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"phones\"}");
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Equal("INSUFFICIENT_CREDITS", problem.GetProperty("code").GetString());
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Start_DryRun_WritesReservesAndEnqueuesNothing()
    {
        var context = new ApiTestContext(stack, app);
        var id = (await context.SeedPersonsAsync(1, 15))[0];
        recorder.Reset();

        using var response = await context.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"phones\",\"dryRun\":true}");
        var plan = await ApiTestContext.ReadJsonAsync(response);
        var writes = recorder.CosmosWrites;
        var sends = recorder.QueueSends;
        using var lookup = await context.SendAsync(HttpMethod.Get, $"api/v1/operations/enrichment/{id}?field=phones", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(plan.GetProperty("dryRun").GetBoolean());
        Assert.Equal(1, plan.GetProperty("createdCount").GetInt32());
        Assert.Equal(0, plan.GetProperty("reusedCount").GetInt32());
        Assert.Equal(10, plan.GetProperty("price").GetInt64());
        Assert.Equal(15, plan.GetProperty("available").GetInt64());
        Assert.True(plan.GetProperty("sufficient").GetBoolean());
        Assert.Equal(id, plan.GetProperty("personIdsToEnrich")[0].GetString());
        Assert.Equal(0, writes);
        Assert.Equal(0, sends);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Equal(new(context.OrgId, 15, 0, 15), await context.BalanceAsync());
    }

    [Fact]
    public async Task Start_RealRun_IsSeenByTheRecorder()
    {
        var context = new ApiTestContext(stack, app);
        var id = (await context.SeedPersonsAsync(1, 15))[0];
        recorder.Reset();

        using var response = await context.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"phones\"}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(recorder.CosmosWrites > 0);
        Assert.Equal(1, recorder.QueueSends);
    }

    [Fact]
    public async Task Start_DryRunWithTooFewCredits_ReportsInsufficient()
    {
        var context = new ApiTestContext(stack, app);
        var id = (await context.SeedPersonsAsync(1, 3))[0];

        using var response = await context.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"phones\",\"dryRun\":true}");
        var plan = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(plan.GetProperty("sufficient").GetBoolean());
        Assert.Equal(3, plan.GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task Batch_DryRunWithReusedRecord_EnqueuesNothing()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(3, 100);
        using var started = await context.StartBatchAsync([ids[0]]);
        recorder.Reset();

        using var response = await context.PostAsync("api/v1/operations/enrichment/batch",
            JsonSerializer.Serialize(new { personIds = ids, field = "phones", dryRun = true }));
        var plan = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, plan.GetProperty("reusedCount").GetInt32());
        Assert.Equal(2, plan.GetProperty("createdCount").GetInt32());
        Assert.Equal(20, plan.GetProperty("price").GetInt64());
        Assert.Equal(ids[0], plan.GetProperty("reused")[0].GetProperty("entityId").GetString());
        Assert.Equal(0, recorder.CosmosWrites);
        Assert.Equal(0, recorder.QueueSends);
        Assert.Equal(10, (await context.BalanceAsync()).Reserved);
    }

    [Theory]
    [MemberData(nameof(MalformedCancels))]
    public async Task Cancel_MalformedInput_Returns400NamingMember(string personId, string query, string member)
    {
        var context = new ApiTestContext(stack, app);

        using var response = await context.PostAsync($"api/v1/operations/enrichment/{personId}/cancel{query}", "");
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), $"errors lack {member}: {problem}");
    }

    [Fact]
    public async Task Cancel_PendingRecord_CancelsAndReleasesCredits()
    {
        var context = new ApiTestContext(stack, app);
        var id = (await context.SeedPersonsAsync(1, 100))[0];
        using var started = await context.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"phones\"}");
        var record = await ApiTestContext.ReadJsonAsync(started);

        using var response = await context.SendAsync(HttpMethod.Post, $"api/v1/operations/enrichment/{id}/cancel?field=phones", null);
        var cancelled = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(record.GetProperty("id").GetString(), cancelled.GetProperty("id").GetString());
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("dataFound").ValueKind);
        Assert.Equal(new(context.OrgId, 100, 0, 100), await context.BalanceAsync());
    }

    [Theory]
    [InlineData(EnrichmentStatus.Cancelled)]
    [InlineData(EnrichmentStatus.Finished)]
    [InlineData(EnrichmentStatus.Failed)]
    [InlineData(EnrichmentStatus.Timeout)]
    public async Task Cancel_TerminalRecord_Returns409(EnrichmentStatus status)
    {
        var context = new ApiTestContext(stack, app);
        var id = (await context.SeedPersonsAsync(1, 100))[0];
        using var started = await context.PostAsync($"api/v1/operations/enrichment/{id}", "{\"field\":\"emails\"}");
        var recordId = (await ApiTestContext.ReadJsonAsync(started)).GetProperty("id").GetString()!;
        using var first = await context.SendAsync(HttpMethod.Post, $"api/v1/operations/enrichment/{id}/cancel?field=emails", null);
        if (status != EnrichmentStatus.Cancelled)
        {
            await SetStatusAsync(context, recordId, status);
        }

        using var response = await context.SendAsync(HttpMethod.Post, $"api/v1/operations/enrichment/{id}/cancel?field=emails", null);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("CONFLICT", problem.GetProperty("code").GetString());
        Assert.Contains(status.ToWireName(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Cancel_UnknownForeignOrOtherField_Returns404()
    {
        var owner = new ApiTestContext(stack, app);
        var foreign = (await owner.SeedPersonsAsync(1, 100))[0];
        using var foreignStart = await owner.PostAsync($"api/v1/operations/enrichment/{foreign}", "{\"field\":\"emails\"}");
        var caller = new ApiTestContext(stack, app);
        var own = (await caller.SeedPersonsAsync(1, 100))[0];
        using var ownStart = await caller.PostAsync($"api/v1/operations/enrichment/{own}", "{\"field\":\"emails\"}");

        var routes = new[]
        {
            $"api/v1/operations/enrichment/{Guid.NewGuid()}/cancel?field=emails",
            $"api/v1/operations/enrichment/{foreign}/cancel?field=emails",
            $"api/v1/operations/enrichment/{own}/cancel?field=phones",
        };
        foreach (var route in routes)
        {
            using var response = await caller.SendAsync(HttpMethod.Post, route, null);
            var problem = await ApiTestContext.ReadJsonAsync(response);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("NOT_FOUND", problem.GetProperty("code").GetString());
        }

        using var foreignRecord = await owner.SendAsync(HttpMethod.Get, $"api/v1/operations/enrichment/{foreign}?field=emails", null);
        Assert.Equal("pending", (await ApiTestContext.ReadJsonAsync(foreignRecord)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("POST", "api/v1/operations/enrichment/550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("POST", "api/v1/operations/enrichment/550e8400-e29b-41d4-a716-446655440000/cancel?field=emails")]
    [InlineData("POST", "api/v1/entities/persons")]
    [InlineData("GET", "api/v1/entities/persons/550e8400-e29b-41d4-a716-446655440000")]
    public async Task Route_NoToken_Returns401(string method, string route)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (method == "POST")
        {
            request.Content = new StringContent("{\"field\":\"emails\",\"persons\":[]}");
        }

        using var response = await app.Client.SendAsync(request);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHORIZED", problem.GetProperty("code").GetString());
    }

    private static async Task SetStatusAsync(ApiTestContext context, string recordId, EnrichmentStatus status)
    {
        var repository = context.Service<EnrichmentRepository>();
        var document = await repository.FindAsync(context.OrgId, recordId, CancellationToken.None);
        Assert.NotNull(document);
        await context.Service<ContactEnrichment.Core.Storage.CosmosStore>().Enrichments.UpsertItemAsync(
            document with { Status = status, DataFound = status == EnrichmentStatus.Finished ? false : null, ETag = null },
            new Microsoft.Azure.Cosmos.PartitionKey(context.OrgId));
    }
}
