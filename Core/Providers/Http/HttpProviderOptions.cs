using System.ComponentModel.DataAnnotations;

namespace ContactEnrichment.Core.Providers.Http;

/// <summary>Settings every HTTP provider adapter has: key, address and resilience timings.</summary>
public abstract class HttpProviderOptions : IValidatableObject
{
    /// <summary>
    /// The provider's API key, sent in a request header and never logged. Required only when
    /// the provider is named in <c>Providers:Order</c>; in Azure it is a Key Vault reference.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The provider's API root; tests point it at a local stub.</summary>
    public abstract Uri BaseAddress { get; set; }

    public HttpProviderResilienceOptions Resilience { get; set; } = new();

    /// <summary>Returns <see cref="BaseAddress"/> with a trailing slash, so relative paths append to it.</summary>
    public Uri BaseAddressWithTrailingSlash =>
        BaseAddress.AbsoluteUri.EndsWith('/') ? BaseAddress : new Uri(BaseAddress.AbsoluteUri + "/");

    public virtual IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri || (BaseAddress.Scheme != Uri.UriSchemeHttps && BaseAddress.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult(
                $"BaseAddress must be an absolute http or https URL, but it is '{BaseAddress}'.",
                [nameof(BaseAddress)]);
        }

        var nested = new List<ValidationResult>();
        Validator.TryValidateObject(Resilience, new ValidationContext(Resilience), nested, validateAllProperties: true);
        foreach (var result in nested)
        {
            yield return new ValidationResult(
                $"Resilience: {result.ErrorMessage}",
                result.MemberNames.Select(member => $"{nameof(Resilience)}:{member}").ToList());
        }
    }
}
