using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ContactEnrichment.Functions.Telemetry;

namespace ContactEnrichment.Functions.Tests.Telemetry;

// These tests only read options and service registrations. They never resolve a provider, because
// that would create the Azure Monitor exporter, which sends to the ingestion endpoint.
public sealed class TelemetryRegistrationTests
{
    private const string ConnectionString =
        "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingestion.invalid/";

    [Fact]
    public void AddTelemetry_NoConnectionString_AddsNothing()
    {
        var services = new ServiceCollection();

        var added = services.AddContactEnrichmentTelemetry(Configuration([]));

        Assert.False(added);
        Assert.Empty(services);
    }

    [Fact]
    public void AddTelemetry_ConnectionString_RegistersOpenTelemetry()
    {
        var services = new ServiceCollection();

        var added = services.AddContactEnrichmentTelemetry(Configuration(new() { [TelemetryRegistration.ConnectionStringSetting] = ConnectionString }));

        Assert.True(added);
        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(MeterProvider));
        Assert.Contains(services, descriptor => descriptor.ServiceType == typeof(TracerProvider));
    }

    [Fact]
    public void AddTelemetry_Settings_ConfigureExporter()
    {
        var services = new ServiceCollection();
        services.AddContactEnrichmentTelemetry(Configuration(new()
        {
            [TelemetryRegistration.ConnectionStringSetting] = ConnectionString,
            [TelemetryRegistration.AuthenticationStringSetting] = "ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD",
            ["Telemetry:SamplingRatio"] = "0.25",
        }));
        using var provider = services.BuildServiceProvider();

        var exporter = provider.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().CurrentValue;

        Assert.Equal(ConnectionString, exporter.ConnectionString);
        Assert.Equal(0.25F, exporter.SamplingRatio);
        Assert.Null(exporter.TracesPerSecond);
        Assert.IsType<ManagedIdentityCredential>(exporter.Credential);
    }

    [Fact]
    public void AddTelemetry_TracesPerSecond_IsPassedOn()
    {
        var services = new ServiceCollection();
        services.AddContactEnrichmentTelemetry(Configuration(new()
        {
            [TelemetryRegistration.ConnectionStringSetting] = ConnectionString,
            ["Telemetry:TracesPerSecond"] = "5",
        }));
        using var provider = services.BuildServiceProvider();

        var exporter = provider.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().CurrentValue;

        Assert.Equal(5.0, exporter.TracesPerSecond);
        Assert.Null(exporter.Credential);
    }

    [Fact]
    public void AddTelemetry_SamplingRatioAboveOne_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddContactEnrichmentTelemetry(Configuration(new()
        {
            [TelemetryRegistration.ConnectionStringSetting] = ConnectionString,
            ["Telemetry:SamplingRatio"] = "2",
        }));
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TelemetryOptions>>().Value);

        Assert.Contains("SamplingRatio", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ClientId=11111111-1111-1111-1111-111111111111")]
    [InlineData("Authorization=Key")]
    public void CredentialFrom_WithoutAad_ReturnsNull(string? authenticationString)
    {
        Assert.Null(TelemetryRegistration.CredentialFrom(authenticationString));
    }

    [Theory]
    [InlineData("Authorization=AAD")]
    [InlineData("ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 11111111-1111-1111-1111-111111111111 ")]
    public void CredentialFrom_Aad_ReturnsManagedIdentity(string authenticationString)
    {
        Assert.IsType<ManagedIdentityCredential>(TelemetryRegistration.CredentialFrom(authenticationString));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
