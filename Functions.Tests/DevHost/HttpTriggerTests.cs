using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.DevHost;

[Collection(LocalStackDefinition.Name)]
public sealed class HttpTriggerTests(LocalStackFixture stack) : IAsyncLifetime
{
    private RunningApp app = null!;

    public async Task InitializeAsync() =>
        app = await stack.StartAppAsync(new AppStartOptions
        {
            Functions = FunctionCatalog.FromTypes(typeof(HttpTestFunctions)),
            ConfigureServices = services => services.AddSingleton<InstanceCounter>(),
            InitializeStorage = false,
        });

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Route_WithParameter_BindsStringParameter()
    {
        using var response = await app.Client.GetAsync("api/items/abc-123");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("abc-123", body.RootElement.GetProperty("itemId").GetString());
    }

    [Fact]
    public async Task Route_WithoutPrefix_Returns404()
    {
        using var response = await app.Client.GetAsync("items/abc");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Route_Unknown_Returns404()
    {
        using var response = await app.Client.GetAsync("api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Route_WrongMethod_Returns405()
    {
        using var response = await app.Client.DeleteAsync("api/items/abc");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Route_SameTemplateOtherMethod_ReachesOtherFunction()
    {
        using var response = await app.Client.PutAsync("api/items/abc", content: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Route_Omitted_UsesFunctionName()
    {
        using var get = await app.Client.GetAsync("api/AnyMethod");
        using var patch = await app.Client.PatchAsync("api/AnyMethod", content: null);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Contains("\"PATCH\"", await patch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectResult_WithProblemDetails_WritesProblemJson()
    {
        using var response = await app.Client.PostAsync("api/items/abc/reject", content: null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(409, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Item abc is locked.", body.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Function_Throwing_Returns500WithoutBody()
    {
        using var response = await app.Client.GetAsync("api/explode");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionClass_EachInvocation_GetsNewInstance()
    {
        using var first = await app.Client.GetAsync("api/items/a");
        using var second = await app.Client.GetAsync("api/items/b");

        using var firstBody = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        using var secondBody = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.NotEqual(firstBody.RootElement.GetProperty("instance").GetInt32(), secondBody.RootElement.GetProperty("instance").GetInt32());
    }
}
