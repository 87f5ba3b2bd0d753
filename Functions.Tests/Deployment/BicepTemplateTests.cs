using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactEnrichment.Functions.Tests.Deployment;

public sealed class BicepTemplateTests(CompiledTemplateFixture compiled) : IClassFixture<CompiledTemplateFixture>
{
    private const string ContainersJsonPath = "Core/Storage/containers.json";

    private static readonly JsonSerializerOptions RawJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void Build_MainTemplate_ReportsNoDiagnostics()
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.Diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(compiled.Build.StandardError), compiled.Build.Diagnostics);
    }

    [Fact]
    public async Task Lint_InfraFiles_ReportsNoDiagnostics()
    {
        var infra = RepositoryFiles.PathOf("infra");
        Assert.NotEmpty(Directory.EnumerateFiles(infra, "*.bicep", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.EnumerateFiles(infra, "*.bicepparam", SearchOption.AllDirectories));

        var bicep = await BicepCli.RunAsync("lint", "--pattern", "infra/**/*.bicep");
        var parameters = await BicepCli.RunAsync("lint", "--pattern", "infra/**/*.bicepparam");

        Assert.True(bicep.ExitCode == 0, bicep.Diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(bicep.StandardError), bicep.Diagnostics);
        Assert.True(parameters.ExitCode == 0, parameters.Diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(parameters.StandardError), parameters.Diagnostics);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public async Task BuildParams_EachEnvironment_Compiles(string environment)
    {
        var result = await BicepCli.RunAsync("build-params", $"infra/main.{environment}.bicepparam", "--stdout");

        Assert.True(result.ExitCode == 0, result.Diagnostics);
        Assert.True(string.IsNullOrWhiteSpace(result.StandardError), result.Diagnostics);
        var output = JsonNode.Parse(result.StandardOutput)!;
        var parameters = JsonNode.Parse(output["parametersJson"]!.GetValue<string>())!["parameters"]!;
        Assert.Equal(environment, parameters["environmentName"]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void Layout_ContainersJson_IsEmbeddedUnchanged()
    {
        var template = compiled.RequireTemplate();
        var containersJson = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf(ContainersJsonPath)));

        var variables = template["variables"]!.AsObject().Select(entry => entry.Value);

        Assert.Contains(variables, value => JsonNode.DeepEquals(value, containersJson));
    }

    [Fact]
    public void Layout_ContainersJson_MatchesBicepTypes()
    {
        var template = compiled.RequireTemplate();
        var containersJson = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf(ContainersJsonPath)))!.AsObject();
        var layoutType = Definition(template, "storageLayout");
        var containerType = Definition(template, "containerDefinition");

        AssertMatchesType(containersJson, layoutType, "containers.json");
        foreach (var container in containersJson["containers"]!.AsArray().Select(c => c!.AsObject()))
        {
            AssertMatchesType(container, containerType, $"container {container["name"]}");
        }
    }

    [Fact]
    public void CosmosContainers_FromLayout_GetKeysAndTtl()
    {
        var template = compiled.RequireTemplate();

        var containers = Assert.Single(
            ArmTemplate.OfType(template, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers"));
        var cosmosModule = ArmTemplate.Module(template, "cosmos");

        Assert.Equal("[variables('layout')]", cosmosModule.Properties!["parameters"]!["layout"]!["value"]!.GetValue<string>());
        Assert.Equal("[length(parameters('layout').containers)]", containers.Resource["copy"]!["count"]!.GetValue<string>());
        var resource = containers.Properties!["resource"]!.GetValue<string>();
        Assert.Contains("partitionKeyPath", resource, StringComparison.Ordinal);
        Assert.Contains("uniqueKeyPaths", resource, StringComparison.Ordinal);
        Assert.Contains("defaultTtlSeconds", resource, StringComparison.Ordinal);
    }

    [Fact]
    public void Queues_EachLayoutQueue_IsCreated()
    {
        var template = compiled.RequireTemplate();

        var queues = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Storage/storageAccounts/queueServices/queues"));
        var storageModule = ArmTemplate.Module(template, "storage");

        Assert.Equal("[variables('layout').queues]", storageModule.Properties!["parameters"]!["queueNames"]!["value"]!.GetValue<string>());
        Assert.Equal("[length(parameters('queueNames'))]", queues.Resource["copy"]!["count"]!.GetValue<string>());
    }

    [Fact]
    public void CosmosAccount_KeyAuth_IsDisabled()
    {
        var account = Assert.Single(ArmTemplate.OfType(compiled.RequireTemplate(), "Microsoft.DocumentDB/databaseAccounts"),
            r => r.Resource["existing"] is null);

        Assert.True(account.Properties!["disableLocalAuth"]!.GetValue<bool>());
        Assert.True(account.Properties!["disableKeyBasedMetadataWriteAccess"]!.GetValue<bool>());
    }

    [Fact]
    public void StorageAccount_SharedKeyAccess_IsDisabled()
    {
        var account = Assert.Single(ArmTemplate.OfType(compiled.RequireTemplate(), "Microsoft.Storage/storageAccounts"),
            r => r.Resource["existing"] is null);

        Assert.False(account.Properties!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(account.Properties!["allowBlobPublicAccess"]!.GetValue<bool>());
    }

    [Fact]
    public void KeyVault_Authorization_UsesRbac()
    {
        var vault = Assert.Single(ArmTemplate.OfType(compiled.RequireTemplate(), "Microsoft.KeyVault/vaults"),
            r => r.Resource["existing"] is null);

        Assert.True(vault.Properties!["enableRbacAuthorization"]!.GetValue<bool>());
    }

    [Fact]
    public void RoleAssignments_Names_ComeFromGuid()
    {
        var template = compiled.RequireTemplate();
        var assignments = ArmTemplate.OfType(template, "Microsoft.Authorization/roleAssignments")
            .Concat(ArmTemplate.OfType(template, "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"))
            .ToList();

        // A child resource's name is "parent/child", which Bicep compiles to format('{0}/{1}', parent, child).
        Assert.NotEmpty(assignments);
        Assert.All(assignments, assignment => Assert.Matches(@"^\[(guid\(|format\('\{0\}/\{1\}', [^,]+, guid\()", assignment.Name));
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User")]
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher")]
    [InlineData("00000000-0000-0000-0000-000000000002", "Cosmos DB Built-in Data Contributor")]
    public void RoleAssignments_AppIdentity_GetsDataPlaneRole(string roleId, string roleName)
    {
        var template = compiled.RequireTemplate();
        var assignments = ArmTemplate.OfType(template, "Microsoft.Authorization/roleAssignments")
            .Concat(ArmTemplate.OfType(template, "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"));

        var granted = assignments
            .Where(a => a.Resource["condition"] is null)
            .Select(a => a.ResolveVariables(a.Properties!["roleDefinitionId"]!.GetValue<string>()));

        Assert.True(granted.Any(id => id.Contains(roleId, StringComparison.OrdinalIgnoreCase)), $"No unconditional assignment of {roleName} ({roleId}).");
    }

    [Fact]
    public void FunctionApp_Plan_IsFlexConsumption()
    {
        var template = compiled.RequireTemplate();
        var plan = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Web/serverfarms"));
        var site = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Web/sites"));

        Assert.Equal("FC1", plan.Resource["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan.Resource["sku"]!["tier"]!.GetValue<string>());
        var config = site.Properties!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", config["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("[parameters('instanceMemoryMB')]", config["scaleAndConcurrency"]!["instanceMemoryMB"]!.GetValue<string>());
        Assert.Equal("[parameters('maximumInstanceCount')]", config["scaleAndConcurrency"]!["maximumInstanceCount"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("'AzureWebJobsStorage__accountName'")]
    [InlineData("'AzureWebJobsStorage__credential', 'managedidentity'")]
    [InlineData("'Cosmos__Endpoint'")]
    [InlineData("'Cosmos__DatabaseName'")]
    [InlineData("'Auth__Authority'")]
    [InlineData("'Auth__Audience'")]
    [InlineData("'Auth__OrganizationClaim'")]
    [InlineData("'SweepSchedule'")]
    [InlineData("'Telemetry__SamplingRatio'")]
    [InlineData("'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'")]
    [InlineData("'Providers__Order__emails__{0}'")]
    [InlineData("'Providers__Order__phones__{0}'")]
    [InlineData("@Microsoft.KeyVault(SecretUri=")]
    public void AppSettings_SettingTheCodeReads_IsSet(string expected)
    {
        var settings = AppSettingsExpression(compiled.RequireTemplate());

        Assert.Contains(expected, settings, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Providers__PeopleDataLabs__ApiKey")]
    [InlineData("Providers__Hunter__ApiKey")]
    public void AppSettings_ProviderKey_IsKeyVaultReference(string setting)
    {
        var template = compiled.RequireTemplate();
        var functionApp = ArmTemplate.Module(template, "functionApp");

        Assert.Equal("[variables('providerKeySecretNames')]",
            functionApp.Properties!["parameters"]!["providerKeySecretNames"]!["value"]!.GetValue<string>());
        Assert.NotNull(template["variables"]!["providerKeySecretNames"]![setting]);
        Assert.Contains("variables('providerKeySettings')", AppSettingsExpression(template), StringComparison.Ordinal);
    }

    [Fact]
    public void Template_Secrets_StayOutOfSettings()
    {
        var template = compiled.RequireTemplate();
        var text = template.ToJsonString();
        var settings = AppSettingsExpression(template);

        Assert.DoesNotMatch(new Regex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase), text);
        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'AzureWebJobsStorage',", settings, StringComparison.Ordinal);
        Assert.DoesNotContain("Cosmos__Key", settings, StringComparison.Ordinal);
        var connectionStringSettings = Regex.Matches(settings, @"'(\w*CONNECTION_?STRING\w*)'", RegexOptions.IgnoreCase)
            .Select(match => match.Groups[1].Value);
        Assert.All(connectionStringSettings, name => Assert.Equal("APPLICATIONINSIGHTS_CONNECTION_STRING", name));
    }

    [Fact]
    public void Parameters_EveryTemplate_HaveDescriptions()
    {
        var templates = ArmTemplate.Templates(compiled.RequireTemplate()).ToList();

        var undocumented = templates
            .SelectMany(t => t["parameters"]?.AsObject() ?? [])
            .Where(p => string.IsNullOrWhiteSpace(p.Value?["metadata"]?["description"]?.GetValue<string>()))
            .Select(p => p.Key)
            .ToList();

        Assert.True(templates.Count > 1, "Expected the main template and its modules.");
        Assert.Empty(undocumented);
    }

    [Fact]
    public void Outputs_MainTemplate_NameAppAndHealthUrl()
    {
        var outputs = compiled.RequireTemplate()["outputs"]!;

        Assert.NotNull(outputs["functionAppName"]);
        Assert.EndsWith("/api/health', reference('functionApp').outputs.defaultHostName.value)]",
            outputs["healthCheckUrl"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Returns the expression that builds the app settings, followed by the variables it uses, since
    /// some settings are built in variables of the Function App module.
    /// </summary>
    private static string AppSettingsExpression(JsonObject template)
    {
        var settings = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Web/sites/config"),
            r => r.Name.EndsWith("'appsettings')]", StringComparison.Ordinal));
        var expression = settings.Properties!.GetValue<string>();
        var variables = Regex.Matches(expression, @"variables\('(?<name>[^']+)'\)")
            .Select(match => settings.DeclaringTemplate["variables"]?[match.Groups["name"].Value]?.ToJsonString(RawJson));
        return string.Join('\n', variables.Prepend(expression));
    }

    private static JsonObject Definition(JsonObject template, string typeName) =>
        template["definitions"]!.AsObject()
            .Single(entry => entry.Key == typeName || entry.Key.EndsWith("." + typeName, StringComparison.Ordinal))
            .Value!.AsObject();

    private static void AssertMatchesType(JsonObject value, JsonObject type, string subject)
    {
        var properties = type["properties"]!.AsObject();

        foreach (var member in value)
        {
            Assert.True(properties.ContainsKey(member.Key),
                $"{subject} has member '{member.Key}', which infra/types.bicep does not declare, so Bicep ignores it.");
        }

        foreach (var property in properties.Where(p => p.Value?["nullable"]?.GetValue<bool>() != true))
        {
            Assert.True(value.ContainsKey(property.Key), $"{subject} lacks member '{property.Key}', which infra/types.bicep requires.");
        }
    }
}
