using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>The two routes callers poll: GET one record, and POST batch/query.</summary>
[Collection(LocalStackDefinition.Name)]
public sealed class EnrichmentQueryTests(LocalStackFixture stack) : IAsyncLifetime
{
    private const string QueryRoute = "api/v1/operations/enrichment/batch/query";

    private static readonly string[] RecordFields =
    [
        "id", "createdAt", "updatedAt", "entityId", "entityType", "field", "status", "error", "dataFound",
        "createdBy", "orgId", "globalEnrichmentId", "creditTransactionId",
    ];

    private RunningApp app = null!;

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Get_PersonWithRecord_ReturnsLatest()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, 100);
        var started = await StartAsync(context, ids, "phones");

        using var pending = await context.SendAsync(HttpMethod.Get, $"api/v1/operations/enrichment/{ids[0].ToUpperInvariant()}?field=phones", null);
        var pendingRecord = await ApiTestContext.ReadJsonAsync(pending);
        Assert.Equal(HttpStatusCode.OK, pending.StatusCode);
        Assert.Equal(RecordFields, pendingRecord.EnumerateObject().Select(property => property.Name));
        Assert.Equal(started[0], pendingRecord.GetProperty("id").GetString());
        Assert.Equal("pending", pendingRecord.GetProperty("status").GetString());

        await context.Service<EnrichmentProcessor>().ProcessAsync(new EnrichmentMessage(started[0], context.OrgId), CancellationToken.None);

        using var finished = await context.SendAsync(HttpMethod.Get, $"api/v1/operations/enrichment/{ids[0]}?field=phones", null);
        var finishedRecord = await ApiTestContext.ReadJsonAsync(finished);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Equal(started[0], finishedRecord.GetProperty("id").GetString());
        Assert.Equal("finished", finishedRecord.GetProperty("status").GetString());
        Assert.False(finishedRecord.GetProperty("dataFound").GetBoolean());
    }

    [Fact]
    public async Task Get_NoRecordForField_Returns404()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, 100);
        await StartAsync(context, ids, "phones");

        using var otherField = await context.SendAsync(HttpMethod.Get, $"api/v1/operations/enrichment/{ids[0]}?field=emails", null);
        using var unknownPerson = await context.SendAsync(HttpMethod.Get, $"api/v1/operations/enrichment/{Guid.NewGuid()}?field=phones", null);

        Assert.Equal(HttpStatusCode.NotFound, otherField.StatusCode);
        Assert.Equal("NOT_FOUND", (await ApiTestContext.ReadJsonAsync(otherField)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknownPerson.StatusCode);
    }

    [Theory]
    [InlineData("not-a-uuid", "?field=emails", "personId")]
    [InlineData("{00000000-0000-0000-0000-000000000001}", "?field=emails", "personId")]
    [InlineData("00000000-0000-0000-0000-000000000000", "?field=emails", "personId")]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "", "field")]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "?field=fax", "field")]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "?field=emails&field=phones", "field")]
    public async Task Get_BadIdOrField_Returns400NamingIt(string personId, string query, string member)
    {
        var context = new ApiTestContext(stack, app);

        using var response = await context.SendAsync(HttpMethod.Get, $"api/v1/operations/enrichment/{Uri.EscapeDataString(personId)}{query}", null);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_ERROR", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), problem.ToString());
    }

    [Fact]
    public async Task Query_MixedTasks_OmitsMissingKeepsOrder()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(3, 100);
        var phones = await StartAsync(context, [ids[0], ids[1]], "phones");
        var emails = await StartAsync(context, [ids[0]], "emails");
        var body = JsonSerializer.Serialize(new
        {
            tasks = new object[]
            {
                new { entityId = ids[1], field = "phones", entityType = "person" },
                new { entityId = ids[2], field = "phones" },
                new { entityId = ids[0], field = "emails" },
                new { entityId = Guid.NewGuid().ToString(), field = "emails" },
                new { entityId = ids[0].ToUpperInvariant(), field = "phones" },
                new { entityId = ids[1], field = "phones" },
            },
        });

        using var response = await context.PostAsync(QueryRoute, body);
        var records = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([phones[1], emails[0], phones[0]], records.EnumerateArray().Select(record => record.GetProperty("id").GetString()));
        Assert.All(records.EnumerateArray(), record => Assert.Equal(RecordFields, record.EnumerateObject().Select(property => property.Name)));
    }

    [Fact]
    public async Task Query_TwoHundredTasks_Returns200()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, 100);
        var started = await StartAsync(context, ids, "emails");
        var tasks = Enumerable.Range(0, 199).Select(_ => new { entityId = Guid.NewGuid().ToString(), field = "emails" })
            .Append(new { entityId = ids[0], field = "emails" });

        using var response = await context.PostAsync(QueryRoute, JsonSerializer.Serialize(new { tasks }));
        var records = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(started[0], Assert.Single(records.EnumerateArray()).GetProperty("id").GetString());
    }

    public static TheoryData<string, string, string> BadQueries()
    {
        var valid = Guid.NewGuid().ToString();
        var tooMany = JsonSerializer.Serialize(new { tasks = Enumerable.Range(0, 201).Select(_ => new { entityId = valid, field = "emails" }) });
        return new TheoryData<string, string, string>
        {
            { "array body", "[]", "body" },
            { "string body", "\"tasks\"", "body" },
            { "tasks missing", "{}", "tasks" },
            { "tasks not an array", "{\"tasks\":{}}", "tasks" },
            { "tasks empty", "{\"tasks\":[]}", "tasks" },
            { "201 tasks", tooMany, "tasks" },
            { "task not an object", "{\"tasks\":[\"" + valid + "\"]}", "tasks[0]" },
            { "entityId missing", "{\"tasks\":[{\"field\":\"emails\"}]}", "tasks[0].entityId" },
            { "entityId not a UUID", "{\"tasks\":[{\"entityId\":\"abc\",\"field\":\"emails\"}]}", "tasks[0].entityId" },
            { "entityId nil UUID", "{\"tasks\":[{\"entityId\":\"00000000-0000-0000-0000-000000000000\",\"field\":\"emails\"}]}", "tasks[0].entityId" },
            { "entityId a number", "{\"tasks\":[{\"entityId\":5,\"field\":\"emails\"}]}", "tasks[0].entityId" },
            { "field missing", "{\"tasks\":[{\"entityId\":\"" + valid + "\"}]}", "tasks[0].field" },
            { "field unknown", "{\"tasks\":[{\"entityId\":\"" + valid + "\",\"field\":\"fax\"}]}", "tasks[0].field" },
            { "entityType company", "{\"tasks\":[{\"entityId\":\"" + valid + "\",\"field\":\"emails\",\"entityType\":\"company\"}]}", "tasks[0].entityType" },
            { "second task bad", "{\"tasks\":[{\"entityId\":\"" + valid + "\",\"field\":\"emails\"},{\"entityId\":\"x\",\"field\":\"emails\"}]}", "tasks[1].entityId" },
        };
    }

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Query_InvalidBody_Returns400NamingTheMember(string name, string body, string member)
    {
        var context = new ApiTestContext(stack, app);

        using var response = await context.PostAsync(QueryRoute, body);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{name}: {(int)response.StatusCode} {problem}");
        Assert.Equal("VALIDATION_ERROR", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out _), $"{name}: errors lack {member}: {problem}");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("other key")]
    public async Task ReadRoutes_WithoutValidToken_Return401(string? token)
    {
        var context = new ApiTestContext(stack, app);
        var header = token is null ? null : "Bearer " + OtherKeyToken(context);
        var personId = Guid.NewGuid().ToString();

        using var get = new HttpRequestMessage(HttpMethod.Get, $"api/v1/operations/enrichment/{personId}?field=emails");
        using var query = new HttpRequestMessage(HttpMethod.Post, QueryRoute)
        {
            Content = new StringContent($"{{\"tasks\":[{{\"entityId\":\"{personId}\",\"field\":\"emails\"}}]}}", System.Text.Encoding.UTF8, "application/json"),
        };
        foreach (var request in new[] { get, query })
        {
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", header);
            }

            using var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("UNAUTHORIZED", (await ApiTestContext.ReadJsonAsync(response)).GetProperty("code").GetString());
        }
    }

    private static string OtherKeyToken(ApiTestContext context)
    {
        var options = new AuthOptions
        {
            Issuer = LocalStackFixture.Issuer,
            Audience = LocalStackFixture.Audience,
            OrganizationClaim = LocalStackFixture.OrganizationClaim,
            SigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        return new LocalTokenIssuer(options, TimeProvider.System).Issue(context.OrgId, context.UserId);
    }

    private static async Task<List<string>> StartAsync(ApiTestContext context, IEnumerable<string> personIds, string field)
    {
        using var response = await context.StartBatchAsync(personIds, field);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await ApiTestContext.ReadJsonAsync(response)).EnumerateArray().Select(record => record.GetProperty("id").GetString()!).ToList();
    }
}
