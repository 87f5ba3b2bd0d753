using System.Text.Json.Nodes;

namespace ContactEnrichment.Functions.Tests.Deployment;

/// <summary>Compiles infra/main.bicep once for the tests that read the resulting ARM template.</summary>
public sealed class CompiledTemplateFixture : IAsyncLifetime
{
    public const string MainTemplatePath = "infra/main.bicep";

    public BicepResult Build { get; private set; } = new(-1, string.Empty, string.Empty);

    public JsonObject Template { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Build = await BicepCli.RunAsync("build", MainTemplatePath, "--stdout");
        if (Build.ExitCode == 0)
        {
            Template = JsonNode.Parse(Build.StandardOutput)?.AsObject()
                ?? throw new InvalidOperationException("bicep build printed no template.");
        }
    }

    /// <summary>Returns the template, failing the calling test with bicep's output if the build failed.</summary>
    public JsonObject RequireTemplate()
    {
        Assert.True(Build.ExitCode == 0, $"bicep build {MainTemplatePath} failed: {Build.Diagnostics}");
        return Template;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
