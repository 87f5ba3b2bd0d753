using ContactEnrichment.Core.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Functions.Tests.Providers;

public sealed class ProviderServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddContactProviders_DefaultSettings_AreValid()
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?>());

        await host.ValidateOnStartAsync();

        Assert.Equal(
            ["directory", "hunter", "peopledatalabs"],
            host.Services.GetServices<IContactProvider>().Select(provider => provider.Name).Order(StringComparer.Ordinal));
        Assert.NotNull(host.Services.GetService<ProviderWaterfall>());
    }

    [Fact]
    public async Task AddContactProviders_HttpProvidersWithKeys_AreValid()
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?>
        {
            ["Providers:Order:emails:0"] = "directory",
            ["Providers:Order:emails:1"] = "hunter",
            ["Providers:Order:emails:2"] = "peopledatalabs",
            ["Providers:Order:phones:0"] = "peopledatalabs",
            ["Providers:Hunter:ApiKey"] = "hunter-key",
            ["Providers:PeopleDataLabs:ApiKey"] = "pdl-key",
        });

        await host.ValidateOnStartAsync();

        var order = host.Services.GetRequiredService<IOptions<ProvidersOptions>>().Value.Order;
        Assert.Equal(["directory", "hunter", "peopledatalabs"], order.Emails);
        Assert.Equal(["peopledatalabs"], order.Phones);
    }

    [Fact]
    public async Task AddContactProviders_UnknownProvider_FailsNamingIt()
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?>
        {
            ["Providers:Order:emails:0"] = "directory",
            ["Providers:Order:emails:1"] = "clearbit",
            ["Providers:Order:phones:0"] = "lusha",
        });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(host.ValidateOnStartAsync);

        Assert.Contains("Providers:Order:emails names unknown provider(s) 'clearbit'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Providers:Order:phones names unknown provider(s) 'lusha'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'directory', 'hunter', 'peopledatalabs'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hunter", "Providers:Hunter:ApiKey")]
    [InlineData("peopledatalabs", "Providers:PeopleDataLabs:ApiKey")]
    public async Task AddContactProviders_OrderedProviderWithoutKey_FailsNamingSetting(string provider, string setting)
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?> { ["Providers:Order:emails:0"] = provider });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(host.ValidateOnStartAsync);

        Assert.Contains($"{setting} is not set", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us")]
    [InlineData("USA")]
    [InlineData("XX")]
    public async Task AddContactProviders_InvalidPhoneRegion_Fails(string region)
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?> { ["Providers:DefaultPhoneRegion"] = region });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(host.ValidateOnStartAsync);

        Assert.Contains("DefaultPhoneRegion", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Providers:Hunter:Resilience:AttemptTimeout", "00:01:00", "must not exceed TotalTimeout")]
    [InlineData("Providers:PeopleDataLabs:Resilience:MaxRetryAttempts", "11", "MaxRetryAttempts")]
    [InlineData("Providers:PeopleDataLabs:Resilience:CircuitMinimumThroughput", "1", "CircuitMinimumThroughput")]
    [InlineData("Providers:PeopleDataLabs:Resilience:CircuitBreakDuration", "00:00:00.100", "CircuitBreakDuration")]
    [InlineData("Providers:PeopleDataLabs:Resilience:AttemptTimeout", "00:00:00", "AttemptTimeout")]
    [InlineData("Providers:PeopleDataLabs:Resilience:RetryBaseDelay", "00:00:30", "must not exceed RetryMaxDelay")]
    [InlineData("Providers:PeopleDataLabs:MinLikelihood", "11", "MinLikelihood")]
    [InlineData("Providers:PeopleDataLabs:BaseAddress", "api.peopledatalabs.com", "BaseAddress must be an absolute http or https URL")]
    [InlineData("Providers:Hunter:MinScore", "101", "MinScore")]
    [InlineData("Providers:Hunter:MaxDurationSeconds", "20", "longer than Hunter's max_duration")]
    [InlineData("Providers:Directory:Path", "", "Providers:Directory:Path")]
    public async Task AddContactProviders_InvalidSetting_FailsOnStart(string key, string value, string message)
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?> { [key] = value });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(host.ValidateOnStartAsync);

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }
}
