using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers.Hunter;
using ContactEnrichment.Core.Providers.PeopleDataLabs;
using Microsoft.Extensions.Options;
using PhoneNumbers;

namespace ContactEnrichment.Core.Providers;

/// <summary>
/// The name of a registered <see cref="IContactProvider"/>. The validator reads these instead of
/// the providers, because the providers depend on the options it validates.
/// </summary>
internal sealed record ContactProviderRegistration(string Name);

/// <summary>
/// Checks the waterfall settings against the registered providers: every name in
/// <c>Providers:Order</c> must be a registered provider, an HTTP provider in the order must
/// have its API key, and the default phone region must be one libphonenumber knows.
/// </summary>
internal sealed class ProvidersOptionsValidator(
    IEnumerable<ContactProviderRegistration> providers,
    IOptionsMonitor<PeopleDataLabsOptions> peopleDataLabs,
    IOptionsMonitor<HunterOptions> hunter) : IValidateOptions<ProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvidersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        var known = providers.Select(provider => provider.Name).ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var field in Enum.GetValues<EnrichmentField>())
        {
            var order = options.Order.For(field);
            var unknown = order.Where(provider => !known.Contains(provider)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                failures.Add(
                    $"Providers:Order:{field.ToWireName()} names unknown provider(s) {Quote(unknown)}; "
                    + $"known providers are {Quote(known.Order(StringComparer.Ordinal))}.");
            }

            failures.AddRange(MissingApiKeys(field, order));
        }

        if (!PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(options.DefaultPhoneRegion))
        {
            failures.Add($"Providers:DefaultPhoneRegion '{options.DefaultPhoneRegion}' is not a region libphonenumber supports; use an ISO 3166-1 code such as US.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private IEnumerable<string> MissingApiKeys(EnrichmentField field, IReadOnlyList<string> order)
    {
        if (order.Contains(PeopleDataLabsProvider.ProviderName) && string.IsNullOrWhiteSpace(peopleDataLabs.CurrentValue.ApiKey))
        {
            yield return $"Providers:Order:{field.ToWireName()} names '{PeopleDataLabsProvider.ProviderName}', but Providers:PeopleDataLabs:ApiKey is not set.";
        }

        if (order.Contains(HunterProvider.ProviderName) && string.IsNullOrWhiteSpace(hunter.CurrentValue.ApiKey))
        {
            yield return $"Providers:Order:{field.ToWireName()} names '{HunterProvider.ProviderName}', but Providers:Hunter:ApiKey is not set.";
        }
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(name => $"'{name}'"));
}
