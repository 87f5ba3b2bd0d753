using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Health;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Telemetry;

namespace ContactEnrichment.Functions.Tests.Deployment;

/// <summary>
/// Builds the app's services with exactly the app settings that infra/modules/functionApp.bicep
/// sets. Settings that come from parameters take the values of each environment's parameters file,
/// and settings that come from deployed resources take fake values. Nothing here uses the network.
/// </summary>
public sealed partial class AzureAppSettingsTests(CompiledTemplateFixture compiled) : IClassFixture<CompiledTemplateFixture>
{
    public static TheoryData<string> Environments => new() { "dev", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task AppSettings_EachEnvironment_PassStartupValidation(string environment)
    {
        var settings = await AzureSettingsAsync(environment);
        using var provider = BuildServices(settings);

        var exception = await Record.ExceptionAsync(
            async () => await provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None));

        Assert.Null(exception);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task AppSettings_EachEnvironment_ResolveServices(string environment)
    {
        var settings = await AzureSettingsAsync(environment);
        using var provider = BuildServices(settings);

        Assert.NotNull(provider.GetRequiredService<CosmosStore>());
        Assert.NotNull(provider.GetRequiredService<QueueClientFactory>().GetQueue(StorageLayout.RequestQueue));
        Assert.NotNull(provider.GetRequiredService<BearerTokenValidator>());
        Assert.NotNull(provider.GetRequiredService<ProviderWaterfall>());
        Assert.NotNull(provider.GetRequiredService<DependencyHealthProbe>());
        Assert.NotEmpty(provider.GetRequiredService<IOptions<AuthOptions>>().Value.Authority!);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task ParametersFile_ProviderNames_AreRegisteredByApp(string environment)
    {
        var parameters = await ParametersAsync(environment);
        using var provider = BuildServices(await AzureSettingsAsync(environment));
        var registered = provider.GetServices<IContactProvider>().Select(contactProvider => contactProvider.Name).ToHashSet(StringComparer.Ordinal);

        var named = new[] { "emailProviderOrder", "phoneProviderOrder" }
            .SelectMany(name => parameters[name]!["value"]!.AsArray().Select(item => item!.GetValue<string>()))
            .ToList();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, registered));
    }

    [Fact]
    public void AppSettings_Template_SetsNoLocalOnlySetting()
    {
        var names = ModuleSettingNames(compiled.RequireTemplate());

        Assert.Contains("Cosmos__Endpoint", names);
        Assert.DoesNotContain("Cosmos__Key", names);
        Assert.DoesNotContain("Cosmos__AcceptLocalCertificate", names);
        Assert.DoesNotContain("Auth__SigningKey", names);
        Assert.DoesNotContain("Auth__Issuer", names);
    }

    private static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?> settings)
    {
        // Environment variables reach the worker's configuration with "__" as the section separator.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(entry => entry.Key.Replace("__", ":", StringComparison.Ordinal), entry => entry.Value))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddContactEnrichmentFunctions(configuration);
        services.AddContactEnrichmentTelemetry(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }

    /// <summary>The app settings the template sets for <paramref name="environment"/>, by name.</summary>
    private async Task<Dictionary<string, string?>> AzureSettingsAsync(string environment)
    {
        var template = compiled.RequireTemplate();
        var parameters = await ParametersAsync(environment);
        var module = ArmTemplate.Module(template, "functionApp");
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

        foreach (var (name, expression) in BaseSettings(template))
        {
            settings[name] = ResolveValue(name, expression, module, template, parameters);
        }

        foreach (var entry in template["variables"]!["providerKeySecretNames"]!.AsObject())
        {
            // Azure resolves the Key Vault reference to the secret, which is the provider's API key.
            settings[entry.Key] = "fake-api-key-" + entry.Value!.GetValue<string>();
        }

        foreach (var (parameter, field) in new[] { ("emailProviderOrder", "emails"), ("phoneProviderOrder", "phones") })
        {
            var order = parameters[parameter]!["value"]!.AsArray();
            for (var index = 0; index < order.Count; index++)
            {
                settings[$"Providers__Order__{field}__{index}"] = order[index]!.GetValue<string>();
            }
        }

        return settings;
    }

    // bicep build-params takes seconds, so each environment's file is compiled once per test run.
    private static readonly ConcurrentDictionary<string, Lazy<Task<JsonObject>>> CompiledParameters = new();

    private static Task<JsonObject> ParametersAsync(string environment) =>
        CompiledParameters.GetOrAdd(environment, name => new Lazy<Task<JsonObject>>(() => CompileParametersAsync(name))).Value;

    private static async Task<JsonObject> CompileParametersAsync(string environment)
    {
        var result = await BicepCli.RunAsync("build-params", $"infra/main.{environment}.bicepparam", "--stdout");
        Assert.True(result.ExitCode == 0, result.Diagnostics);
        var output = JsonNode.Parse(result.StandardOutput)!;
        return JsonNode.Parse(output["parametersJson"]!.GetValue<string>())!["parameters"]!.AsObject();
    }

    /// <summary>
    /// Returns the value of a setting whose expression reads a module parameter that main.bicep
    /// passes from one of its own parameters, and a fake value for settings built from resources.
    /// </summary>
    private static string ResolveValue(string name, string expression, ArmResource module, JsonObject template, JsonObject parameters)
    {
        var moduleParameter = ParameterReference().Match(expression);
        if (moduleParameter.Success && moduleParameter.Value == expression)
        {
            var passed = module.Properties!["parameters"]![moduleParameter.Groups["name"].Value]!["value"]!.GetValue<string>();
            var mainParameter = ParameterReference().Match(passed.Trim('[', ']'));
            if (mainParameter.Success && mainParameter.Value == passed.Trim('[', ']'))
            {
                var parameterName = mainParameter.Groups["name"].Value;
                var value = parameters[parameterName]?["value"] ?? template["parameters"]![parameterName]!["defaultValue"];
                if (value is JsonValue text && text.TryGetValue(out string? resolved))
                {
                    return resolved;
                }
            }
        }

        if (expression.StartsWith('\'') && expression.EndsWith('\''))
        {
            return expression.Trim('\'');
        }

        return FakeValue(name);
    }

    private static string FakeValue(string name) => name switch
    {
        "Cosmos__Endpoint" => "https://cenrich-cosmos.documents.azure.com:443/",
        "Cosmos__DatabaseName" => "enrichment",
        "AzureWebJobsStorage__accountName" => "cenrichstorage",
        "APPLICATIONINSIGHTS_CONNECTION_STRING" => "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingestion.invalid/",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" => "ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD",
        _ => "11111111-1111-1111-1111-111111111111",
    };

    private static List<string> ModuleSettingNames(JsonObject template) =>
        BaseSettings(template).Select(setting => setting.Name).ToList();

    /// <summary>
    /// Reads the name and value expression pairs of the <c>createObject(...)</c> call that the
    /// compiled template uses for the module's base settings.
    /// </summary>
    private static List<(string Name, string Expression)> BaseSettings(JsonObject template)
    {
        var config = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Web/sites/config"),
            resource => resource.Name.EndsWith("'appsettings')]", StringComparison.Ordinal));
        var expression = config.Properties!.GetValue<string>();
        var start = expression.IndexOf("createObject(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Expected createObject(...) in the app settings expression {expression}");
        var arguments = SplitArguments(expression, start + "createObject(".Length);
        Assert.True(arguments.Count % 2 == 0, $"createObject has an odd number of arguments: {expression}");

        return arguments.Chunk(2).Select(pair => (pair[0].Trim('\''), pair[1])).ToList();
    }

    /// <summary>Splits the arguments of a call that starts at <paramref name="index"/>, up to its closing bracket.</summary>
    private static List<string> SplitArguments(string expression, int index)
    {
        var start = index;
        var arguments = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var quoted = false;
        for (; index < expression.Length; index++)
        {
            var character = expression[index];
            if (character == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && character == '(')
            {
                depth++;
            }
            else if (!quoted && character == ')')
            {
                if (depth == 0)
                {
                    arguments.Add(current.ToString().Trim());
                    return arguments;
                }

                depth--;
            }
            else if (!quoted && depth == 0 && character == ',')
            {
                arguments.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(character);
        }

        throw new InvalidOperationException($"The call at index {start} has no closing bracket in {expression}");
    }

    [GeneratedRegex(@"parameters\('(?<name>\w+)'\)")]
    private static partial Regex ParameterReference();
}
