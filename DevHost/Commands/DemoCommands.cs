using System.Globalization;
using Microsoft.Extensions.Configuration;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.DevHost.Configuration;
using ContactEnrichment.DevHost.Demo;

namespace ContactEnrichment.DevHost.Commands;

/// <summary>The local-only <c>grant</c> and <c>demo</c> commands.</summary>
internal static class DemoCommands
{
    private const string DemoUserId = "user_congress_demo";

    public static async Task<int> GrantAsync(CommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!commandLine.Options.TryGetValue("org", out var organizationId) || !commandLine.Options.TryGetValue("credits", out var creditsText))
        {
            await error.WriteLineAsync($"DevHost: grant requires --org ORG and --credits N.\n\n{DevHostCommands.Usage}");
            return 2;
        }

        if (!long.TryParse(creditsText, NumberStyles.None, CultureInfo.InvariantCulture, out var credits) || credits < 1)
        {
            await error.WriteLineAsync($"DevHost: --credits is '{creditsText}'; give a whole number of credits, 1 or more.");
            return 2;
        }

        var grantId = commandLine.Options.GetValueOrDefault("id") ?? "local-" + Guid.NewGuid().ToString("N");
        await using var grants = new LocalCreditGrants(commandLine.Settings);
        await grants.GrantAsync(organizationId, grantId, credits, cancellationToken);
        await output.WriteLineAsync($"Granted {credits} credits to {organizationId} (grant id {grantId}).");
        return 0;
    }

    public static async Task<int> RunDemoAsync(CommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!commandLine.Options.TryGetValue("data", out var dataFolder) || !commandLine.Options.TryGetValue("directory", out var directoryFile))
        {
            await error.WriteLineAsync($"DevHost: demo requires --data FOLDER and --directory FILE.\n\n{DevHostCommands.Usage}");
            return 2;
        }

        var options = new CongressDemoOptions
        {
            DataFolder = dataFolder,
            DirectoryFile = directoryFile,
            OrganizationId = commandLine.Options.GetValueOrDefault("org") ?? "org_congress_demo",
        };
        if (commandLine.Options.TryGetValue("emails-sample", out var sampleText))
        {
            if (!int.TryParse(sampleText, NumberStyles.None, CultureInfo.InvariantCulture, out var sample))
            {
                await error.WriteLineAsync($"DevHost: --emails-sample is '{sampleText}'; give a whole number of persons, 0 or more.");
                return 2;
            }

            options = options with { EmailSampleSize = sample };
        }

        // The demo sends its traffic only to a local app, so the URL must be a loopback one.
        var urlText = commandLine.Options.GetValueOrDefault("url", DevHostOptions.DefaultUrl);
        LoopbackUrl.Parse(urlText);
        var url = new Uri(urlText.TrimEnd('/') + "/");
        var configuration = DevHostConfiguration.Build(new DevHostOptions { CommandLineSettings = commandLine.Settings });
        var issuer = new LocalTokenIssuer(configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions(), TimeProvider.System);
        await using var grants = new LocalCreditGrants(commandLine.Settings);
        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        var demo = new CongressDemo(client, () => issuer.Issue(options.OrganizationId, DemoUserId, TimeSpan.FromMinutes(30)),
            grants.GrantAsync, output, TimeProvider.System);
        try
        {
            await demo.RunAsync(options, cancellationToken);
            return 0;
        }
        catch (HttpRequestException exception)
        {
            await error.WriteLineAsync($"DevHost: the demo cannot reach the app at {url}: {exception.Message} Start it with ./dev up first.");
            return 1;
        }
        catch (Exception exception) when (exception is CongressDemoException or FileNotFoundException)
        {
            await error.WriteLineAsync($"DevHost: the demo failed: {exception.Message}");
            return 1;
        }
    }

    /// <summary>Grants credits through <see cref="CreditService"/> against the Cosmos DB of the local settings.</summary>
    private sealed class LocalCreditGrants(IReadOnlyList<string> settings) : IAsyncDisposable
    {
        private DevHostApplication? application;

        public async Task GrantAsync(string organizationId, string grantId, long credits, CancellationToken cancellationToken)
        {
            // Warnings only, so the host's start-up lines do not interleave with the command's output.
            application ??= DevHostApplication.Build(new DevHostOptions
            {
                CommandLineSettings = [.. settings, "--Logging:LogLevel:Default=Warning"],
                EnableQueueListeners = false,
                EnableTimers = false,
            });
            await application.Services.GetRequiredService<CreditService>().GrantAsync(organizationId, grantId, credits, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (application is not null)
            {
                await application.DisposeAsync();
            }
        }
    }
}
