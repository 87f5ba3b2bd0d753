using System.Net;
using System.Text;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

[Collection(LocalStackDefinition.Name)]
public sealed class BatchValidationTests(LocalStackFixture stack) : IAsyncLifetime
{
    private const string Valid = "550e8400-e29b-41d4-a716-446655440000";
    private RunningApp app = null!;

    public static TheoryData<string, string, string> MalformedBodies => new()
    {
        { "not JSON", "{personIds:", "body" },
        { "empty body", "", "body" },
        { "array body", "[]", "body" },
        { "string body", "\"text\"", "body" },
        { "number body", "42", "body" },
        { "null body", "null", "body" },
        { "missing personIds", "{\"field\":\"emails\"}", "personIds" },
        { "null personIds", "{\"personIds\":null,\"field\":\"emails\"}", "personIds" },
        { "personIds string", $"{{\"personIds\":\"{Valid}\",\"field\":\"emails\"}}", "personIds" },
        { "personIds object", "{\"personIds\":{},\"field\":\"emails\"}", "personIds" },
        { "empty personIds", "{\"personIds\":[],\"field\":\"emails\"}", "personIds" },
        { "101 personIds", $"{{\"personIds\":[{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"{Guid.NewGuid()}\""))}],\"field\":\"emails\"}}", "personIds" },
        { "id not a string", "{\"personIds\":[123],\"field\":\"emails\"}", "personIds[0]" },
        { "id null", "{\"personIds\":[null],\"field\":\"emails\"}", "personIds[0]" },
        { "id empty", "{\"personIds\":[\"\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id braces", "{\"personIds\":[\"{550e8400-e29b-41d4-a716-446655440000}\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id without hyphens", "{\"personIds\":[\"550e8400e29b41d4a716446655440000\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id urn prefix", "{\"personIds\":[\"urn:uuid:550e8400-e29b-41d4-a716-446655440000\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id nil", "{\"personIds\":[\"00000000-0000-0000-0000-000000000000\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id leading space", "{\"personIds\":[\" 550e8400-e29b-41d4-a716-446655440000\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id trailing newline", "{\"personIds\":[\"550e8400-e29b-41d4-a716-446655440000\\n\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id non-hex", "{\"personIds\":[\"550e8400-e29b-41d4-a716-44665544000g\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id too short", "{\"personIds\":[\"550e8400-e29b-41d4-a716-44665544000\"],\"field\":\"emails\"}", "personIds[0]" },
        { "id hyphens misplaced", "{\"personIds\":[\"550e840-0e29b-41d4-a716-446655440000\"],\"field\":\"emails\"}", "personIds[0]" },
        { "second id invalid", $"{{\"personIds\":[\"{Valid}\",\"nope\"],\"field\":\"emails\"}}", "personIds[1]" },
        { "missing field", $"{{\"personIds\":[\"{Valid}\"]}}", "field" },
        { "null field", $"{{\"personIds\":[\"{Valid}\"],\"field\":null}}", "field" },
        { "unknown field", $"{{\"personIds\":[\"{Valid}\"],\"field\":\"addresses\"}}", "field" },
        { "field upper case", $"{{\"personIds\":[\"{Valid}\"],\"field\":\"EMAILS\"}}", "field" },
        { "field singular", $"{{\"personIds\":[\"{Valid}\"],\"field\":\"email\"}}", "field" },
        { "field number", $"{{\"personIds\":[\"{Valid}\"],\"field\":1}}", "field" },
        { "field array", $"{{\"personIds\":[\"{Valid}\"],\"field\":[\"emails\"]}}", "field" },
        { "dryRun string", $"{{\"personIds\":[\"{Valid}\"],\"field\":\"emails\",\"dryRun\":\"yes\"}}", "dryRun" },
        { "member repeated", $"{{\"personIds\":[\"{Valid}\"],\"field\":\"emails\",\"field\":\"phones\"}}", "body" },
        { "lone surrogate in field", $"{{\"personIds\":[\"{Valid}\"],\"field\":\"\\ud800\"}}", "field" },
        { "lone surrogate in id", "{\"personIds\":[\"\\udc00\"],\"field\":\"emails\"}", "personIds[0]" },
        { "body over 64 KiB", $"{{\"personIds\":[\"{Valid}\"],\"field\":\"emails\",\"padding\":\"{new string('x', 70_000)}\"}}", "body" },
    };

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Batch_MalformedBody_Returns400NamingMember(string name, string body, string member)
    {
        var context = new ApiTestContext(stack, app);
        await context.SeedPersonsAsync(0, 100);

        using var response = await context.PostAsync("api/v1/operations/enrichment/batch", body);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: status {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("VALIDATION_ERROR", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out var messages), $"{name}: errors lack {member}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Batch_UnknownAndForeignPersons_Returns400ListingThem()
    {
        var owner = new ApiTestContext(stack, app);
        var foreign = (await owner.SeedPersonsAsync(1, 100))[0];
        var caller = new ApiTestContext(stack, app);
        var own = await caller.SeedPersonsAsync(1, 100);
        var unknown = Guid.NewGuid().ToString();

        using var response = await caller.StartBatchAsync([own[0], foreign, unknown]);
        var problem = await ApiTestContext.ReadJsonAsync(response);
        var message = problem.GetProperty("errors").GetProperty("personIds")[0].GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(foreign, message, StringComparison.Ordinal);
        Assert.Contains(unknown, message, StringComparison.Ordinal);
        Assert.DoesNotContain(own[0], message, StringComparison.Ordinal);
        Assert.Equal(0, (await caller.BalanceAsync()).Reserved);
        Assert.Equal(0, (await owner.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Batch_DuplicateIdsAnyCase_CountOnce()
    {
        const string versionOne = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        var context = new ApiTestContext(stack, app);
        await context.SeedPersonsAsync(0, 100);
        await context.AddPersonAsync(versionOne);

        using var response = await context.PostAsync("api/v1/operations/enrichment/batch",
            $"{{\"personIds\":[\"{versionOne.ToUpperInvariant()}\",\"{versionOne}\"],\"field\":\"emails\",\"unknownMember\":true}}");
        var records = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, records.GetArrayLength());
        Assert.Equal(versionOne, records[0].GetProperty("entityId").GetString());
        Assert.Equal(1, (await context.BalanceAsync()).Reserved);
    }

    [Fact]
    public async Task Batch_InvalidUtf8_Returns400()
    {
        var context = new ApiTestContext(stack, app);
        var bytes = Encoding.UTF8.GetBytes($"{{\"personIds\":[\"{Valid}\"],\"field\":\"emails\"}}").ToList();
        bytes.InsertRange(bytes.Count - 3, [0xFF, 0xFE]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/operations/enrichment/batch")
        {
            Content = new ByteArrayContent(bytes.ToArray()),
        };
        request.Headers.Authorization = new("Bearer", stack.CreateToken(context.OrgId, context.UserId));

        using var response = await app.Client.SendAsync(request);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task Batch_ChunkedBodyOver64KiB_Returns400()
    {
        var context = new ApiTestContext(stack, app);
        var body = $"{{\"personIds\":[\"{Valid}\"],\"field\":\"emails\",\"padding\":\"{new string('x', 70_000)}\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/operations/enrichment/batch")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new("Bearer", stack.CreateToken(context.OrgId, context.UserId));

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
