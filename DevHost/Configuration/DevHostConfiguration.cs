using Microsoft.Extensions.Configuration;

namespace ContactEnrichment.DevHost.Configuration;

/// <summary>
/// The configuration sources of DevHost, lowest precedence first: DevHost's log levels, host.json
/// log levels, local.settings.json <c>Values</c>, environment variables, command-line settings
/// and the options' own settings.
/// </summary>
public static class DevHostConfiguration
{
    public static void AddSources(IConfigurationBuilder builder, DevHostOptions options, HostSettings? hostSettings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);

        // ASP.NET Core logs every request at Information; DevHost logs each invocation itself.
        builder.AddInMemoryCollection([new KeyValuePair<string, string?>("Logging:LogLevel:Microsoft.AspNetCore", "Warning")]);
        if (hostSettings is not null)
        {
            builder.AddInMemoryCollection(hostSettings.LogLevels.Select(level =>
                new KeyValuePair<string, string?>($"Logging:LogLevel:{ToCategory(level.Key)}", level.Value)));
        }

        if (options.LoadLocalSettings && LocalSettingsFile.Find(Directory.GetCurrentDirectory()) is { } path)
        {
            builder.AddInMemoryCollection(LocalSettingsFile.ReadValues(path));
        }

        if (options.LoadEnvironmentVariables)
        {
            builder.AddEnvironmentVariables();
        }

        builder.AddCommandLine([.. options.CommandLineSettings]);
        builder.AddInMemoryCollection(options.Settings.Select(setting =>
            new KeyValuePair<string, string?>(LocalSettingsFile.ToConfigurationKey(setting.Key), setting.Value)));
    }

    /// <summary>Builds the configuration alone, for commands that need settings but no host.</summary>
    public static IConfigurationRoot Build(DevHostOptions options)
    {
        var builder = new ConfigurationBuilder();
        AddSources(builder, options, hostSettings: null);
        return builder.Build();
    }

    private static string ToCategory(string hostJsonName) =>
        hostJsonName.Equals("default", StringComparison.OrdinalIgnoreCase) ? "Default" : hostJsonName;
}
