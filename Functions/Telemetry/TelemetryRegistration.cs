using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using ContactEnrichment.Core.Telemetry;

namespace ContactEnrichment.Functions.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>The setting that Azure sets from the Application Insights component.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// <c>Authorization=AAD</c>, optionally with <c>ClientId=...</c>, makes the exporter send with a
    /// managed identity token instead of the instrumentation key, as the Functions host does.
    /// </summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// Registers OpenTelemetry with the Azure Monitor exporter, which sends the worker's traces, logs
    /// and metrics, including the <see cref="EnrichmentMetrics"/> counters, to Application Insights. Does nothing without
    /// <see cref="ConnectionStringSetting"/>, so local runs and DevHost need no telemetry settings.
    /// Returns whether telemetry was added.
    /// </summary>
    public static bool AddContactEnrichmentTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        var credential = CredentialFrom(configuration[AuthenticationStringSetting]);
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(EnrichmentMetrics.MeterName))
            .UseAzureMonitorExporter();
        services.AddOptions<AzureMonitorExporterOptions>()
            .Configure<IOptions<TelemetryOptions>>((exporter, telemetry) =>
            {
                exporter.ConnectionString = connectionString;
                exporter.SamplingRatio = telemetry.Value.SamplingRatio;
                exporter.TracesPerSecond = telemetry.Value.TracesPerSecond;
                if (credential is not null)
                {
                    exporter.Credential = credential;
                }
            });
        return true;
    }

    /// <summary>Returns the managed identity credential that an authentication string names, or null for key-based ingestion.</summary>
    internal static TokenCredential? CredentialFrom(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
