using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ContactEnrichment.Functions.Tests.Deployment;

public sealed partial class PipelineTests
{
    private const string PipelinePath = "azure-pipelines.yml";

    private static readonly string[] PathExtensions =
        [".csproj", ".sln", ".bicep", ".bicepparam", ".runsettings", ".json", ".props", ".sh", ".yml", ".yaml"];

    private static readonly Lazy<YamlMappingNode> Pipeline = new(LoadPipeline);

    [Fact]
    public void Pipeline_NamedRepositoryPaths_Exist()
    {
        var paths = Scalars(Pipeline.Value).SelectMany(RepositoryPathsIn).Distinct(StringComparer.Ordinal).ToList();

        var missing = paths.Where(path => !File.Exists(RepositoryFiles.PathOf(path))).ToList();

        Assert.Contains("infra/main.bicep", paths);
        Assert.Contains("Functions/Functions.csproj", paths);
        Assert.Contains("./dev", paths);
        Assert.True(missing.Count == 0, $"{PipelinePath} names files that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Pipeline_TestStep_RunsReadmeTestCommand()
    {
        var command = ReadmeTestCommand();

        var testSteps = Steps(Pipeline.Value)
            .Where(step => ScriptLines(step).Contains(command, StringComparer.Ordinal))
            .ToList();

        Assert.Equal("./dev test", command);
        Assert.Single(testSteps);
    }

    [Fact]
    public void Pipeline_OutputQueries_NameMainTemplateOutputs()
    {
        var templateOutputs = OutputDeclaration().Matches(File.ReadAllText(RepositoryFiles.PathOf("infra/main.bicep")))
            .Select(match => match.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);

        var queried = Scalars(Pipeline.Value)
            .SelectMany(text => OutputQuery().Matches(text))
            .Select(match => match.Groups["name"].Value)
            .ToList();

        Assert.Contains("functionAppName", queried);
        Assert.Contains("healthCheckUrl", queried);
        Assert.All(queried, name => Assert.Contains(name, templateOutputs));
    }

    [Fact]
    public void Pipeline_EachEnvironment_IsFullyConfigured()
    {
        var environments = EnvironmentsParameter();

        Assert.Equal(["dev", "prod"], environments.Select(e => Value(e, "name")));
        foreach (var environment in environments)
        {
            var name = Value(environment, "name");
            Assert.Equal($"infra/main.{name}.bicepparam", Value(environment, "parametersFile"));
            Assert.False(string.IsNullOrWhiteSpace(Value(environment, "serviceConnection")), $"{name} has no serviceConnection.");
            Assert.False(string.IsNullOrWhiteSpace(Value(environment, "resourceGroup")), $"{name} has no resourceGroup.");
            Assert.False(string.IsNullOrWhiteSpace(Value(environment, "azureDevOpsEnvironment")), $"{name} has no azureDevOpsEnvironment.");
        }
    }

    [Fact]
    public void Pipeline_InfrastructureDeployment_UsesApprovalEnvironment()
    {
        var deploymentJobs = Pipeline.Value.AllNodes.OfType<YamlMappingNode>()
            .Where(node => node.Children.ContainsKey(new YamlScalarNode("deployment")))
            .ToList();

        var job = Assert.Single(deploymentJobs);
        Assert.Equal("${{ environment.azureDevOpsEnvironment }}", Value(job, "environment"));
        Assert.Contains(Scalars(job), text => text.Contains("az deployment group create", StringComparison.Ordinal));
    }

    [Fact]
    public void Pipeline_Validation_RunsBicepBuildAndWhatIf()
    {
        var scripts = Scalars(Pipeline.Value).ToList();

        Assert.Contains(scripts, text => text.Contains("az bicep build --file $(templateFile)", StringComparison.Ordinal));
        Assert.Contains(scripts, text => text.Contains("az deployment group what-if", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PublishTestResults@2")]
    [InlineData("PublishCodeCoverageResults@2")]
    [InlineData("Cache@2")]
    [InlineData("AzureFunctionApp@2")]
    public void Pipeline_Task_IsUsed(string task)
    {
        Assert.Contains(task, Steps(Pipeline.Value).Select(step => Value(step, "task")));
    }

    [Fact]
    public void Pipeline_AppDeployment_TargetsFlexConsumption()
    {
        var step = Assert.Single(Steps(Pipeline.Value), s => Value(s, "task") == "AzureFunctionApp@2");
        var inputs = (YamlMappingNode)step.Children[new YamlScalarNode("inputs")];

        Assert.Equal("true", Value(inputs, "isFlexConsumption"));
        Assert.Equal("functionAppLinux", Value(inputs, "appType"));
    }

    [Fact]
    public void Pipeline_Caches_NuGetAndNpmPackages()
    {
        var cachedPaths = Steps(Pipeline.Value)
            .Where(step => Value(step, "task") == "Cache@2")
            .Select(step => Value((YamlMappingNode)step.Children[new YamlScalarNode("inputs")], "path"))
            .ToList();

        Assert.Contains("$(NUGET_PACKAGES)", cachedPaths);
        Assert.Contains("$(npm_config_cache)", cachedPaths);
    }

    /// <summary>
    /// Returns the first command of the first fenced code block after a README heading that
    /// mentions tests, which is how the README gives its test command.
    /// </summary>
    private static string ReadmeTestCommand()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("README.md"));
        var heading = Array.FindIndex(lines, line => line.StartsWith('#') && line.Contains("test", StringComparison.OrdinalIgnoreCase));
        Assert.True(heading >= 0, "README.md has no heading that mentions tests.");

        var fence = Array.FindIndex(lines, heading, line => line.TrimStart().StartsWith("```", StringComparison.Ordinal));
        Assert.True(fence >= 0, "README.md has no fenced code block after its test heading.");

        var command = lines.Skip(fence + 1)
            .TakeWhile(line => !line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            .Select(line => line.Trim().TrimStart('$').Trim())
            .FirstOrDefault(line => line.Length > 0 && !line.StartsWith('#'));
        Assert.False(string.IsNullOrEmpty(command), "The README's test code block is empty.");
        return command;
    }

    private static IEnumerable<string> RepositoryPathsIn(string text) =>
        PathSeparators().Split(text)
            .Where(token => token.Length > 0 && RepositoryPath().IsMatch(token))
            .Where(token => token.StartsWith("./", StringComparison.Ordinal)
                || PathExtensions.Any(extension => token.EndsWith(extension, StringComparison.Ordinal)));

    private static IEnumerable<YamlMappingNode> Steps(YamlNode root) =>
        root.AllNodes.OfType<YamlMappingNode>().Where(node =>
            node.Children.ContainsKey(new YamlScalarNode("task"))
            || node.Children.ContainsKey(new YamlScalarNode("script"))
            || node.Children.ContainsKey(new YamlScalarNode("bash")));

    private static IEnumerable<string> ScriptLines(YamlMappingNode step) =>
        new[] { Value(step, "script"), Value(step, "bash") }
            .OfType<string>()
            .SelectMany(script => script.Split('\n'))
            .Select(line => line.Trim());

    private static List<YamlMappingNode> EnvironmentsParameter()
    {
        var parameters = (YamlSequenceNode)Pipeline.Value.Children[new YamlScalarNode("parameters")];
        var environments = parameters.Children.OfType<YamlMappingNode>().Single(p => Value(p, "name") == "environments");
        return ((YamlSequenceNode)environments.Children[new YamlScalarNode("default")]).Children.OfType<YamlMappingNode>().ToList();
    }

    private static IEnumerable<string> Scalars(YamlNode root) =>
        root.AllNodes.OfType<YamlScalarNode>().Select(node => node.Value).OfType<string>();

    private static string? Value(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static YamlMappingNode LoadPipeline()
    {
        using var reader = new StreamReader(RepositoryFiles.PathOf(PipelinePath));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    // Splits commands, task inputs and cache keys into words that may be file paths.
    [GeneratedRegex("""[\s'",|=]+""")]
    private static partial Regex PathSeparators();

    // A relative path without variables, wildcards or exclusions: infra/main.bicep, ./dev.
    [GeneratedRegex(@"^(\./)?[\w.-]+(/[\w.-]+)*$")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"properties\.outputs\.(?<name>\w+)\.value")]
    private static partial Regex OutputQuery();

    [GeneratedRegex(@"^output\s+(?<name>\w+)\s", RegexOptions.Multiline)]
    private static partial Regex OutputDeclaration();
}
