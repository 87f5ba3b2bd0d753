using System.ComponentModel.DataAnnotations;
using ContactEnrichment.Core.Providers.Http;

namespace ContactEnrichment.Core.Providers.PeopleDataLabs;

/// <summary>Settings of the People Data Labs adapter, bound from <c>Providers:PeopleDataLabs</c>.</summary>
public sealed class PeopleDataLabsOptions : HttpProviderOptions
{
    public const string SectionName = "Providers:PeopleDataLabs";

    /// <summary>Default <c>https://api.peopledatalabs.com/</c>.</summary>
    public override Uri BaseAddress { get; set; } = new("https://api.peopledatalabs.com/");

    /// <summary>
    /// Lowest match likelihood (1 to 10) accepted, sent as <c>min_likelihood</c>. PDL returns
    /// 404 for weaker matches and does not charge for them. Default 6.
    /// </summary>
    [Range(1, 10)]
    public int MinLikelihood { get; set; } = 6;

    /// <summary>
    /// PDL's <c>required</c> expression for email lookups, so that profiles without email data
    /// return 404 and are not charged. Empty sends none. Default <c>emails</c>.
    /// </summary>
    public string? RequiredForEmails { get; set; } = "emails";

    /// <summary>PDL's <c>required</c> expression for phone lookups. Default <c>phone_numbers</c>.</summary>
    public string? RequiredForPhones { get; set; } = "phone_numbers";
}
