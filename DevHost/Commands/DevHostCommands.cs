using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.DevHost.Configuration;

namespace ContactEnrichment.DevHost.Commands;

/// <summary>The DevHost command-line program: <c>serve</c>, <c>init</c>, <c>token</c>, <c>grant</c>, <c>demo</c> and <c>help</c>.</summary>
public static class DevHostCommands
{
    public const string Usage = """
        Usage: DevHost [command] [options] [--Name=Value ...]

        Commands:
          serve [--urls URL]   Run the app's functions at URL, an http:// loopback address
                               (default http://127.0.0.1:7071). This is the default command.
          init                 Create the Cosmos DB database and containers and the storage
                               queues if missing, and seed the demo organization.
          token --org ORG --user USER [--minutes N]
                               Print a bearer token for USER in organization ORG, signed with
                               Auth:SigningKey and valid for N minutes (default 60).
          grant --org ORG --credits N [--id GRANT_ID]
                               Add N credits to organization ORG in the configured Cosmos DB
                               (local development only; the API has no grant route). A grant
                               id is applied once; without --id every call grants again.
          demo --data FOLDER --directory FILE [--url URL] [--org ORG] [--emails-sample N]
                               Run the Congress demo against the app at URL (default
                               http://127.0.0.1:7071): import the members in FOLDER as persons
                               of ORG (default org_congress_demo), write their office phones to
                               the directory FILE the app reads, grant credits, enrich phones for
                               all and emails for N members (default 25), and print the figures.
          help                 Show this text.

        Settings come from local.settings.json Values (current folder, else the repository
        root), then environment variables, then --Name=Value arguments such as
        --Cosmos:Endpoint=https://127.0.0.1:8081/.
        """;

    /// <summary>Runs the command in <paramref name="args"/>; returns 0 on success, 1 on failure and 2 on a usage error.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args);
        }
        catch (FormatException exception)
        {
            await error.WriteLineAsync($"DevHost: {exception.Message}\n\n{Usage}");
            return 2;
        }

        try
        {
            return commandLine.Command switch
            {
                CommandLine.Serve => await ServeAsync(commandLine, output, cancellationToken),
                CommandLine.Init => await InitializeAsync(commandLine, output, cancellationToken),
                CommandLine.Token => await PrintTokenAsync(commandLine, output, error),
                CommandLine.Grant => await DemoCommands.GrantAsync(commandLine, output, error, cancellationToken),
                CommandLine.Demo => await DemoCommands.RunDemoAsync(commandLine, output, error, cancellationToken),
                _ => await PrintUsageAsync(output),
            };
        }
        catch (DevHostConfigurationException exception)
        {
            await error.WriteLineAsync($"DevHost: {exception.Message}");
            return 1;
        }
        catch (OptionsValidationException exception)
        {
            await error.WriteLineAsync($"DevHost: invalid settings: {exception.Message}");
            return 1;
        }
        catch (IOException exception) when (commandLine.Command == CommandLine.Serve)
        {
            await error.WriteLineAsync($"DevHost: cannot listen: {exception.Message} Stop the process that uses the port or pass another --urls.");
            return 1;
        }
    }

    private static async Task<int> ServeAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        await using var app = DevHostApplication.Build(new DevHostOptions
        {
            Url = commandLine.Options.GetValueOrDefault("urls", DevHostOptions.DefaultUrl),
            CommandLineSettings = commandLine.Settings,
        });
        await app.StartAsync(cancellationToken);
        await output.WriteLineAsync($"DevHost runs {app.Functions.Count} functions at {app.BaseAddress} (Ctrl-C stops it).");
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> InitializeAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        await using var app = DevHostApplication.Build(new DevHostOptions
        {
            CommandLineSettings = commandLine.Settings,
            EnableQueueListeners = false,
            EnableTimers = false,
        });
        await app.Services.GetRequiredService<StorageInitializer>().InitializeAsync(cancellationToken);
        await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
        await output.WriteLineAsync($"Storage is ready and the demo organization {DemoSeeder.OrganizationId} is seeded.");
        return 0;
    }

    private static async Task<int> PrintTokenAsync(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (!commandLine.Options.TryGetValue("org", out var organizationId) || !commandLine.Options.TryGetValue("user", out var userId))
        {
            await error.WriteLineAsync($"DevHost: token needs --org ORG and --user USER.\n\n{Usage}");
            return 2;
        }

        var minutes = 60;
        if (commandLine.Options.TryGetValue("minutes", out var minutesText)
            && (!int.TryParse(minutesText, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes < 1))
        {
            await error.WriteLineAsync($"DevHost: --minutes is '{minutesText}'; give a whole number of minutes, 1 or more.");
            return 2;
        }

        var configuration = DevHostConfiguration.Build(new DevHostOptions { CommandLineSettings = commandLine.Settings });
        var auth = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        try
        {
            var issuer = new LocalTokenIssuer(auth, TimeProvider.System);
            await output.WriteLineAsync(issuer.Issue(organizationId, userId, TimeSpan.FromMinutes(minutes)));
            return 0;
        }
        catch (InvalidOperationException exception)
        {
            throw new DevHostConfigurationException(exception.Message, exception);
        }
    }

    private static async Task<int> PrintUsageAsync(TextWriter output)
    {
        await output.WriteLineAsync(Usage);
        return 0;
    }
}
