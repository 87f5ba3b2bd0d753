using ContactEnrichment.DevHost;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.DevHost.Commands;
using ContactEnrichment.DevHost.Configuration;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.DevHost;

public sealed class DevHostConfigurationTests
{
    [Fact]
    public void HostSettings_RepositoryHostJson_IsRead()
    {
        var settings = HostSettings.Load(Path.Combine(RepositoryPaths.Root, "host.json"));

        Assert.Equal("api", settings.RoutePrefix);
        Assert.Equal(MessageEncoding.Base64, settings.Queues.MessageEncoding);
        Assert.Equal("Information", settings.LogLevels["default"]);
    }

    [Fact]
    public void HostSettings_QueueValues_AreParsed()
    {
        var settings = HostSettings.Parse("""
            { "extensions": { "http": { "routePrefix": "/v2/" },
              "queues": { "BatchSize": 4, "newBatchThreshold": 1, "maxDequeueCount": 2,
                          "visibilityTimeout": "00:00:05", "maxPollingInterval": "00:00:03", "messageEncoding": "none" } } }
            """);

        Assert.Equal("v2", settings.RoutePrefix);
        Assert.Equal(4, settings.Queues.BatchSize);
        Assert.Equal(1, settings.Queues.NewBatchThreshold);
        Assert.Equal(2, settings.Queues.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Queues.VisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Queues.MaxPollingInterval);
        Assert.Equal(MessageEncoding.None, settings.Queues.MessageEncoding);
    }

    [Fact]
    public void HostSettings_Empty_TakesExtensionDefaults()
    {
        var settings = HostSettings.Parse("{}");

        Assert.Equal("api", settings.RoutePrefix);
        Assert.Equal(16, settings.Queues.BatchSize);
        Assert.Equal(8 * Environment.ProcessorCount, settings.Queues.NewBatchThreshold);
        Assert.Equal(5, settings.Queues.MaxDequeueCount);
        Assert.Equal(TimeSpan.Zero, settings.Queues.VisibilityTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.Queues.MaxPollingInterval);
        Assert.Equal(MessageEncoding.Base64, settings.Queues.MessageEncoding);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.Queues.MessageLease);
    }

    [Theory]
    [InlineData("""{ "extensions": { "queues": { "batchSize": 33 } } }""", "batchSize")]
    [InlineData("""{ "extensions": { "queues": { "maxPollingInterval": "00:00:00.050" } } }""", "maxPollingInterval")]
    [InlineData("""{ "extensions": { "queues": { "messageEncoding": "utf8" } } }""", "messageEncoding")]
    [InlineData("""{ "extensions": { "queues": { "visibilityTimeout": "soon" } } }""", "visibilityTimeout")]
    [InlineData("""{ "extensions": """, "not valid JSON")]
    public void HostSettings_InvalidValue_IsRejectedByName(string json, string expectedInMessage)
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => HostSettings.Parse(json));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalSettings_Values_BecomeConfigurationKeys()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("devhost-settings-").FullName, LocalSettingsFile.FileName);
        File.WriteAllText(path, """{ "IsEncrypted": false, "Values": { "Cosmos__Endpoint": "https://127.0.0.1:8081/", "Flag": true } }""");

        var values = LocalSettingsFile.ReadValues(path);

        Assert.Equal("https://127.0.0.1:8081/", values["Cosmos:Endpoint"]);
        Assert.Equal("true", values["Flag"]);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void LocalSettings_Encrypted_IsRejected()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("devhost-settings-").FullName, LocalSettingsFile.FileName);
        File.WriteAllText(path, """{ "IsEncrypted": true, "Values": {} }""");

        var error = Assert.Throws<DevHostConfigurationException>(() => LocalSettingsFile.ReadValues(path));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://localhost:7071")]
    [InlineData("http://[::1]:7071")]
    public void LoopbackUrl_Loopback_IsAccepted(string url)
    {
        var parsed = LoopbackUrl.Parse(url);

        Assert.Equal(new Uri(url).Port, parsed.Port);
    }

    [Theory]
    [InlineData("http://0.0.0.0:7071", "not a loopback address")]
    [InlineData("http://*:7071", "not an http:// URL")]
    [InlineData("http://192.168.1.10:7071", "not a loopback address")]
    [InlineData("https://127.0.0.1:7071", "not an http:// URL")]
    [InlineData("http://127.0.0.1:7071/api", "has a path")]
    [InlineData("http://localhost:0", "port 0 needs an IP address")]
    public void LoopbackUrl_Other_IsRejected(string url, string expectedInMessage)
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => LoopbackUrl.Parse(url));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NonLoopbackUrl_IsRejectedBeforeStart()
    {
        var error = Assert.Throws<DevHostConfigurationException>(() =>
            DevHostApplication.Build(new DevHostOptions { Url = "http://0.0.0.0:7071" }));

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnbindableParameter_NamesParameterAndType()
    {
        var error = Assert.Throws<DevHostConfigurationException>(() =>
            DevHostApplication.Build(new DevHostOptions { Functions = FunctionCatalog.FromTypes(typeof(UnbindableFunction)) }));

        Assert.Contains("'number'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_OutputBindingAttribute_IsRejected()
    {
        var error = Assert.Throws<DevHostConfigurationException>(() => FunctionCatalog.FromTypes(typeof(OutputBindingFunction)));

        Assert.Contains("QueueOutputAttribute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_NoArguments_IsServe()
    {
        var commandLine = CommandLine.Parse([]);

        Assert.Equal(CommandLine.Serve, commandLine.Command);
        Assert.Empty(commandLine.Options);
    }

    [Fact]
    public void CommandLine_OptionsAndSettings_AreSeparated()
    {
        var commandLine = CommandLine.Parse(["token", "--org", "org_1", "--user=user_1", "--Auth:Issuer=https://issuer.test/"]);

        Assert.Equal(CommandLine.Token, commandLine.Command);
        Assert.Equal("org_1", commandLine.Options["org"]);
        Assert.Equal("user_1", commandLine.Options["user"]);
        Assert.Equal(["--Auth:Issuer=https://issuer.test/"], commandLine.Settings);
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("serve", "--verbose")]
    [InlineData("serve", "stray")]
    [InlineData("token", "--org")]
    public void CommandLine_Invalid_IsRejected(params string[] args)
    {
        Assert.Throws<FormatException>(() => CommandLine.Parse(args));
    }

    [Fact]
    public async Task Commands_UnknownCommand_ExitsWithUsage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await DevHostCommands.RunAsync(["deploy"], output, error, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown command 'deploy'", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Usage: DevHost", error.ToString(), StringComparison.Ordinal);
    }
}
