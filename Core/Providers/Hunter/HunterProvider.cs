using System.Globalization;
using System.Net;
using System.Text.Json;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Core.Providers.Hunter;

/// <summary>
/// Adapter for Hunter's Email Finder API v2 (<c>GET /v2/email-finder</c>, key in the
/// <c>X-API-KEY</c> header). It finds work emails only.
/// </summary>
/// <remarks>
/// Status handling, from Hunter's documentation: 200 carries <c>data.email</c> (null when no
/// address was found); 400 is an invalid parameter; 401 a missing or invalid key;
/// 403 "you have reached the rate limit"; 429 "you have reached your usage limit" (the plan's
/// monthly quota); 451 means the person asked Hunter to stop processing their data; 5xx is a
/// Hunter failure. So for Hunter 403 is the transient status that is retried, with 408 and
/// 5xx, and 429 fails at once because retrying cannot help before the quota resets.
/// </remarks>
internal sealed class HunterProvider(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<HunterOptions> options,
    ContactNormalizer normalizer,
    ILogger<HunterProvider> logger) : ApiKeyHttpProvider<HunterOptions>(httpClientFactory, options, logger)
{
    public const string ProviderName = "hunter";
    public const string ProviderHttpClientName = "hunter";
    public const string PipelineName = "hunter-pipeline";
    public const string ApiKeyHeader = "X-API-KEY";

    private const HttpStatusCode UnavailableForLegalReasons = (HttpStatusCode)451;

    public override string Name => ProviderName;

    protected override string DisplayName => "Hunter";

    protected override string ApiKeySetting => "Providers:Hunter:ApiKey";

    protected override string HttpClientName => ProviderHttpClientName;

    protected override string ApiKeyHeaderName => ApiKeyHeader;

    protected override string RequestPath => "v2/email-finder";

    public override bool Supports(EnrichmentField field) => field == EnrichmentField.Emails;

    /// <summary>Returns true for the responses the pipeline retries: 403 (rate limit), 408 and 5xx.</summary>
    public static bool IsTransientResponse(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden || HttpProviderPipeline.IsServerErrorOrRequestTimeout(response);

    protected override Dictionary<string, string?>? BuildParameters(ProviderQuery query, HunterOptions settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(settings);
        if (query.Field != EnrichmentField.Emails)
        {
            return null;
        }

        var domain = IdentityNormalizer.NormalizeDomain(query.CompanyDomain);
        var company = string.IsNullOrWhiteSpace(query.CompanyName) ? null : query.CompanyName.Trim();
        var handle = IdentityNormalizer.LinkedinHandle(query.LinkedinUrl);
        var hasFirstAndLast = !string.IsNullOrWhiteSpace(query.FirstName) && !string.IsNullOrWhiteSpace(query.LastName);
        var hasName = hasFirstAndLast || !string.IsNullOrWhiteSpace(query.FullName);

        // Hunter needs a domain, a company or a LinkedIn handle, and a name unless it has the handle.
        if ((domain is null && company is null && handle is null) || (!hasName && handle is null))
        {
            return null;
        }

        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (domain is not null)
        {
            parameters["domain"] = domain;
        }
        else if (company is not null)
        {
            parameters["company"] = company;
        }

        if (hasFirstAndLast)
        {
            parameters["first_name"] = query.FirstName!.Trim();
            parameters["last_name"] = query.LastName!.Trim();
        }
        else if (hasName)
        {
            parameters["full_name"] = query.FullName.Trim();
        }

        if (handle is not null)
        {
            parameters["linkedin_handle"] = handle;
        }

        if (settings.MaxDurationSeconds is { } maxDuration)
        {
            parameters["max_duration"] = maxDuration.ToString(CultureInfo.InvariantCulture);
        }

        return parameters;
    }

    protected override async Task<ProviderResult> MapResponseAsync(
        HttpResponseMessage response, EnrichmentField field, HunterOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return ProviderResult.NotFound;
        }

        if (response.StatusCode == UnavailableForLegalReasons)
        {
            // The person asked Hunter to stop processing their data: nothing may be used.
            Log.ProviderDataClaimed(logger, ProviderName);
            return ProviderResult.NotFound;
        }

        using var body = await ProviderHttp.TryReadJsonAsync(response, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return FailureFor(response.StatusCode, body is null ? null : ErrorId(body.RootElement));
        }

        if (!TryGetDataObject(body, out var data))
        {
            return MissingDataObject();
        }

        return Extract(data, settings);
    }

    private ProviderResult Extract(JsonElement data, HunterOptions settings)
    {
        if (!data.TryGetProperty("email", out var email) || email.ValueKind == JsonValueKind.Null)
        {
            return ProviderResult.NotFound;
        }

        if (email.ValueKind != JsonValueKind.String)
        {
            return ProviderResult.Failed(ProviderErrorCodes.BadResponse, $"{DisplayName} returned a \"data.email\" that is not a string.");
        }

        if (data.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number
            && score.TryGetInt32(out var value) && value < settings.MinScore)
        {
            Log.ProviderLowConfidence(logger, ProviderName, value, settings.MinScore);
            return ProviderResult.NotFound;
        }

        var normalized = normalizer.Normalize(ProviderName, [new RawEmail(email.GetString())], []);
        if (normalized.InvalidEmails > 0)
        {
            Log.ProviderDroppedInvalidValues(logger, ProviderName, normalized.InvalidEmails, 0);
        }

        return normalized.Data.IsEmpty ? ProviderResult.NotFound : ProviderResult.Found(normalized.Data);
    }

    private ProviderResult FailureFor(HttpStatusCode statusCode, string? errorId)
    {
        var status = (int)statusCode;
        var detail = errorId is null ? $"HTTP {status}" : $"HTTP {status}, {errorId}";
        return statusCode switch
        {
            HttpStatusCode.Unauthorized => ProviderResult.Failed(
                ProviderErrorCodes.Unauthorized,
                $"{DisplayName} rejected the API key ({detail}); check Providers:Hunter:ApiKey."),
            HttpStatusCode.Forbidden => ProviderResult.Failed(
                ProviderErrorCodes.RateLimited,
                $"{DisplayName} kept returning 403 (rate limit reached) after the retries ({detail})."),
            HttpStatusCode.TooManyRequests => ProviderResult.Failed(
                ProviderErrorCodes.QuotaExceeded,
                $"{DisplayName} reports the plan's usage limit is reached ({detail}); it resets with the billing period."),
            _ => OtherFailure(statusCode, detail),
        };
    }

    // Documented error body: { "errors": [ { "id": "wrong_params", "code": 400, "details": "..." } ] }.
    // Only the id is kept: the details may repeat request values.
    private static string? ErrorId(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("errors", out var errors)
            || errors.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return errors.EnumerateArray().Select(error => ProviderHttp.GetString(error, "id")).FirstOrDefault(id => id is not null);
    }

}
