using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace ContactEnrichment.DevHost.Configuration;

/// <summary>
/// Resolves <c>%Name%</c> references in trigger attributes (queue names, schedules) from
/// configuration, as the Functions host resolves them from app settings.
/// </summary>
internal static partial class SettingReferences
{
    /// <exception cref="DevHostConfigurationException">A referenced setting is missing or empty.</exception>
    public static string Resolve(string value, IConfiguration configuration, string functionName) =>
        Reference().Replace(value, match =>
        {
            var name = match.Groups[1].Value;
            var resolved = configuration[LocalSettingsFile.ToConfigurationKey(name)];
            return string.IsNullOrWhiteSpace(resolved)
                ? throw new DevHostConfigurationException(
                    $"Function '{functionName}' refers to the setting %{name}%, which is missing; add it to local.settings.json Values.")
                : resolved;
        });

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Reference();
}
