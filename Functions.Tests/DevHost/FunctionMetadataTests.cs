using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.DevHost;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.DevHost;

[Collection(LocalStackDefinition.Name)]
public sealed class FunctionMetadataTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("devhost-metadata-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task Metadata_Route_IsTheOneServed()
    {
        // The metadata declares another route than the attribute, so a 200 proves which one DevHost used.
        var path = WriteMetadata("""
            [
              {
                "name": "EchoItem",
                "scriptFile": "ContactEnrichment.Functions.Tests.dll",
                "entryPoint": "ContactEnrichment.Functions.Tests.DevHost.HttpTestFunctions.GetItem",
                "language": "dotnet-isolated",
                "bindings": [
                  { "name": "request", "direction": "In", "type": "httpTrigger", "authLevel": "Anonymous", "methods": [ "get" ], "route": "catalog/{itemId}" },
                  { "name": "$return", "type": "http", "direction": "Out" }
                ]
              }
            ]
            """);
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            Functions = FunctionCatalog.LoadMetadata(path),
            ConfigureServices = services => services.AddSingleton<InstanceCounter>(),
            InitializeStorage = false,
        });

        using var fromMetadata = await app.Client.GetAsync("api/catalog/x-1");
        using var fromAttribute = await app.Client.GetAsync("api/items/x-1");

        Assert.Equal(HttpStatusCode.OK, fromMetadata.StatusCode);
        using var body = JsonDocument.Parse(await fromMetadata.Content.ReadAsStringAsync());
        Assert.Equal("x-1", body.RootElement.GetProperty("itemId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, fromAttribute.StatusCode);
    }

    [Fact]
    public void Metadata_OutputBinding_IsRejected()
    {
        var path = WriteMetadata("""
            [
              {
                "name": "EchoItem",
                "scriptFile": "ContactEnrichment.Functions.Tests.dll",
                "entryPoint": "ContactEnrichment.Functions.Tests.DevHost.HttpTestFunctions.GetItem",
                "bindings": [
                  { "name": "request", "direction": "In", "type": "httpTrigger", "methods": [ "get" ], "route": "x" },
                  { "name": "$return", "type": "queue", "direction": "Out", "queueName": "q" }
                ]
              }
            ]
            """);

        var error = Assert.Throws<DevHostConfigurationException>(() => FunctionCatalog.LoadMetadata(path));

        Assert.Contains("'queue' binding", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_MissingFile_NamesTheBuild()
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => FunctionCatalog.LoadMetadata(Path.Combine(directory.FullName, "functions.metadata")));

        Assert.Contains("dotnet build", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_UnknownEntryPoint_IsRejected()
    {
        var path = WriteMetadata("""
            [ { "name": "Ghost", "scriptFile": "ContactEnrichment.Functions.Tests.dll", "entryPoint": "ContactEnrichment.Functions.Tests.DevHost.NoSuchType.Run",
                "bindings": [ { "name": "request", "direction": "In", "type": "httpTrigger" } ] } ]
            """);

        var error = Assert.Throws<DevHostConfigurationException>(() => FunctionCatalog.LoadMetadata(path));

        Assert.Contains("NoSuchType", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultCatalog_MatchesFunctionAttributes()
    {
        var fromMetadata = FunctionCatalog.LoadDefault();
        var functionsAssembly = typeof(FunctionsRegistration).Assembly;
        var fromAttributes = FunctionCatalog.FromTypes(functionsAssembly.GetTypes());

        Assert.NotEmpty(fromMetadata.Functions);
        Assert.Equal(Describe(fromAttributes), Describe(fromMetadata));
    }

    [Fact]
    public void DefaultCatalog_ServesCreditBalanceRoute()
    {
        var balance = Assert.Single(FunctionCatalog.LoadDefault().Functions, f => f.Name == "GetCreditBalance");

        var trigger = Assert.IsType<HttpTriggerBinding>(balance.Trigger);
        Assert.Equal("v1/operations/credits/balance", trigger.Route);
        Assert.Equal(["get"], trigger.Methods);
    }

    private static List<string> Describe(FunctionCatalog catalog) =>
        [.. catalog.Functions.Select(f => f.ToString()).Order(StringComparer.Ordinal)];

    private string WriteMetadata(string json)
    {
        var path = Path.Combine(directory.FullName, FunctionCatalog.MetadataFileName);
        File.WriteAllText(path, json);
        return path;
    }
}
