using System.Net;
using System.Text.Json;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Core.Providers.PeopleDataLabs;

/// <summary>
/// Adapter for the People Data Labs Person Enrichment API v5
/// (<c>GET /v5/person/enrich</c>, key in the <c>X-Api-Key</c> header). It finds work emails
/// and phone numbers.
/// </summary>
/// <remarks>
/// Status handling, from PDL's documentation: 200 is a match; 404 is no match (not charged);
/// 400 is an invalid request; 401 a missing or invalid key; 402 no credits left; 429 the
/// per-minute rate limit; 5xx a PDL failure. 429, 408 and 5xx are retried; the rest are not.
/// </remarks>
internal sealed class PeopleDataLabsProvider(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<PeopleDataLabsOptions> options,
    ContactNormalizer normalizer,
    ILogger<PeopleDataLabsProvider> logger) : ApiKeyHttpProvider<PeopleDataLabsOptions>(httpClientFactory, options, logger)
{
    public const string ProviderName = "peopledatalabs";
    public const string ProviderHttpClientName = "peopledatalabs";
    public const string PipelineName = "peopledatalabs-pipeline";
    public const string ApiKeyHeader = "X-Api-Key";


    // PDL email types that belong to a job; "personal" and "disposable" addresses are skipped.
    private static readonly HashSet<string> WorkEmailTypes = new(StringComparer.Ordinal) { "current_professional", "professional" };

    public override string Name => ProviderName;

    protected override string DisplayName => "People Data Labs";

    protected override string ApiKeySetting => "Providers:PeopleDataLabs:ApiKey";

    protected override string HttpClientName => ProviderHttpClientName;

    protected override string ApiKeyHeaderName => ApiKeyHeader;

    protected override string RequestPath => "v5/person/enrich";

    public override bool Supports(EnrichmentField field) => field is EnrichmentField.Emails or EnrichmentField.Phones;

    /// <summary>Returns true for the responses the pipeline retries: 429, 408 and 5xx.</summary>
    public static bool IsTransientResponse(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.TooManyRequests || HttpProviderPipeline.IsServerErrorOrRequestTimeout(response);

    protected override Dictionary<string, string?>? BuildParameters(ProviderQuery query, PeopleDataLabsOptions settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(settings);
        var profile = IdentityNormalizer.CanonicalLinkedinUrl(query.LinkedinUrl);
        var company = IdentityNormalizer.NormalizeDomain(query.CompanyDomain) ?? NullIfBlank(query.CompanyName);

        // PDL needs a uniquely identifying input: a profile URL, or a name with a company.
        var hasName = !string.IsNullOrWhiteSpace(query.FullName)
            || (!string.IsNullOrWhiteSpace(query.FirstName) && !string.IsNullOrWhiteSpace(query.LastName));
        if (profile is null && (!hasName || company is null))
        {
            return null;
        }

        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(query.FirstName) && !string.IsNullOrWhiteSpace(query.LastName))
        {
            parameters["first_name"] = query.FirstName.Trim();
            parameters["last_name"] = query.LastName.Trim();
        }
        else if (!string.IsNullOrWhiteSpace(query.FullName))
        {
            parameters["name"] = query.FullName.Trim();
        }

        AddIfPresent(parameters, "company", company);
        AddIfPresent(parameters, "profile", profile);
        parameters["min_likelihood"] = settings.MinLikelihood.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var required = query.Field == EnrichmentField.Emails ? settings.RequiredForEmails : settings.RequiredForPhones;
        AddIfPresent(parameters, "required", NullIfBlank(required));
        return parameters;
    }

    protected override async Task<ProviderResult> MapResponseAsync(
        HttpResponseMessage response, EnrichmentField field, PeopleDataLabsOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(settings);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return ProviderResult.NotFound;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            using var errorBody = await ProviderHttp.TryReadJsonAsync(response, cancellationToken);
            var errorType = errorBody is null ? null : ErrorType(errorBody.RootElement);
            return FailureFor(response.StatusCode, status, errorType);
        }

        using var body = await ProviderHttp.TryReadJsonAsync(response, cancellationToken);
        if (!TryGetDataObject(body, out var data))
        {
            return MissingDataObject();
        }

        if (body.RootElement.TryGetProperty("likelihood", out var likelihood)
            && likelihood.ValueKind == JsonValueKind.Number
            && likelihood.TryGetInt32(out var score)
            && score < settings.MinLikelihood)
        {
            Log.ProviderLowConfidence(logger, ProviderName, score, settings.MinLikelihood);
            return ProviderResult.NotFound;
        }

        return Extract(data, field);
    }

    private ProviderResult Extract(JsonElement data, EnrichmentField field)
    {
        var hidden = false;
        var emails = new List<RawEmail>();
        var phones = new List<RawPhone>();
        if (field == EnrichmentField.Emails)
        {
            hidden |= IsHiddenByPlan(data, "work_email") | IsHiddenByPlan(data, "emails");
            AddIfPresent(emails, ProviderHttp.GetString(data, "work_email"));
            foreach (var email in ArrayItems(data, "emails"))
            {
                var type = ProviderHttp.GetString(email, "type");
                if (type is not null && WorkEmailTypes.Contains(type))
                {
                    AddIfPresent(emails, ProviderHttp.GetString(email, "address"));
                }
            }
        }
        else
        {
            hidden |= IsHiddenByPlan(data, "mobile_phone") | IsHiddenByPlan(data, "phone_numbers");
            AddIfPresent(phones, ProviderHttp.GetString(data, "mobile_phone"));
            foreach (var number in ArrayItems(data, "phone_numbers"))
            {
                AddIfPresent(phones, number.ValueKind == JsonValueKind.String ? number.GetString() : null);
            }
        }

        if (hidden)
        {
            Log.ProviderContactFieldsHidden(logger, ProviderName);
        }

        var normalized = normalizer.Normalize(ProviderName, emails, phones);
        if (normalized.InvalidEmails + normalized.InvalidPhones > 0)
        {
            Log.ProviderDroppedInvalidValues(logger, ProviderName, normalized.InvalidEmails, normalized.InvalidPhones);
        }

        var found = normalized.Data.For(field);
        return found.IsEmpty ? ProviderResult.NotFound : ProviderResult.Found(found);
    }

    private ProviderResult FailureFor(HttpStatusCode statusCode, int status, string? errorType)
    {
        var detail = errorType is null ? $"HTTP {status}" : $"HTTP {status}, {errorType}";
        return statusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ProviderResult.Failed(
                ProviderErrorCodes.Unauthorized,
                $"{DisplayName} rejected the API key ({detail}); check Providers:PeopleDataLabs:ApiKey."),
            HttpStatusCode.PaymentRequired => ProviderResult.Failed(
                ProviderErrorCodes.QuotaExceeded,
                $"{DisplayName} has no credits left on this account ({detail})."),
            HttpStatusCode.TooManyRequests => ProviderResult.Failed(
                ProviderErrorCodes.RateLimited,
                $"{DisplayName} kept rate-limiting the requests after the retries ({detail})."),
            _ => OtherFailure(statusCode, detail),
        };
    }

    // Documented error body: { "status": 401, "error": { "type": "authentication_error", "message": "..." } }.
    // Only the type is kept: the message may repeat request values.
    private static string? ErrorType(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
            ? ProviderHttp.GetString(error, "type")
            : null;

    // Plans without contact data return true or false in place of the values.
    private static bool IsHiddenByPlan(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static JsonElement[] ArrayItems(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray()]
            : [];


    private static void AddIfPresent(List<RawEmail> emails, string? address)
    {
        if (!string.IsNullOrWhiteSpace(address))
        {
            emails.Add(new RawEmail(address));
        }
    }

    private static void AddIfPresent(List<RawPhone> phones, string? number)
    {
        if (!string.IsNullOrWhiteSpace(number))
        {
            phones.Add(new RawPhone(number));
        }
    }

    private static void AddIfPresent(Dictionary<string, string?> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters[name] = value;
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
