using System.ComponentModel.DataAnnotations;
using ContactEnrichment.Core.Domain;

namespace ContactEnrichment.Core.Providers;

/// <summary>Settings of the provider waterfall, bound from the <c>Providers</c> section.</summary>
public sealed class ProvidersOptions
{
    public const string SectionName = "Providers";

    /// <summary>
    /// The ISO 3166-1 region used to read phone numbers written without a country code, such
    /// as <c>202-224-3441</c>. Default <c>US</c>.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Z]{2}$", ErrorMessage = "Providers:DefaultPhoneRegion must be a two-letter upper-case region code such as US.")]
    public string DefaultPhoneRegion { get; set; } = "US";

    /// <summary>
    /// The providers to ask per field, in order (<c>Providers:Order:emails:0..n</c> and
    /// <c>Providers:Order:phones:0..n</c>). Each field defaults to <c>["directory"]</c>.
    /// </summary>
    public ProviderOrderOptions Order { get; set; } = new();
}

/// <summary>The waterfall order per field; an unset field falls back to the directory alone.</summary>
public sealed class ProviderOrderOptions
{
    public static IReadOnlyList<string> DefaultOrder { get; } = [DirectoryProviderName];

    private const string DirectoryProviderName = "directory";

    // Null by default: the configuration binder appends to a non-empty list instead of
    // replacing it, so a default of ["directory"] would end up in front of configured names.
    public List<string>? Emails { get; set; }

    public List<string>? Phones { get; set; }

    /// <summary>Returns the configured order for <paramref name="field"/>, or the default.</summary>
    public IReadOnlyList<string> For(EnrichmentField field)
    {
        var configured = field == EnrichmentField.Emails ? Emails : Phones;
        return configured is { Count: > 0 } ? configured : DefaultOrder;
    }
}
