using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using ContactEnrichment.Core.Domain;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Core.Providers.Http;

/// <summary>
/// The request steps that the HTTP provider adapters share: check the API key, build a
/// <c>GET</c> with query parameters, send it with the key in a header through the named
/// client's resilience pipeline, map the response, and log every failed result.
/// </summary>
/// <typeparam name="TOptions">The adapter's settings, read once per call so that a call uses one version throughout.</typeparam>
internal abstract class ApiKeyHttpProvider<TOptions>(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<TOptions> options,
    ILogger logger) : IContactProvider
    where TOptions : HttpProviderOptions
{
    public abstract string Name { get; }

    /// <summary>The provider's name in messages, such as <c>People Data Labs</c>.</summary>
    protected abstract string DisplayName { get; }

    /// <summary>The settings path of the key, named in the message when it is missing.</summary>
    protected abstract string ApiKeySetting { get; }

    protected abstract string HttpClientName { get; }

    protected abstract string ApiKeyHeaderName { get; }

    /// <summary>The endpoint's path relative to the base address.</summary>
    protected abstract string RequestPath { get; }

    public abstract bool Supports(EnrichmentField field);

    public async Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.ApiKey))
        {
            return LogFailure(ProviderResult.Failed(
                ProviderErrorCodes.BadConfiguration, $"{DisplayName} has no API key; set {ApiKeySetting}."));
        }

        var parameters = BuildParameters(query, settings);
        if (parameters is null)
        {
            Log.ProviderSkippedInsufficientInput(logger, Name, query.Field);
            return ProviderResult.NotFound;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, QueryHelpers.AddQueryString(RequestPath, parameters));
        request.Headers.Add(ApiKeyHeaderName, settings.ApiKey);
        var client = httpClientFactory.CreateClient(HttpClientName);
        var outcome = await ProviderHttp.SendAsync(client, request, DisplayName, cancellationToken);
        if (outcome.Failure is not null)
        {
            return LogFailure(outcome.Failure);
        }

        using var response = outcome.Response!;
        var result = await MapResponseAsync(response, query.Field, settings, cancellationToken);
        return result.Outcome == ProviderOutcome.Failed ? LogFailure(result) : result;
    }

    /// <summary>Returns the query parameters for <paramref name="query"/>, or null when it lacks the input the provider requires.</summary>
    protected abstract Dictionary<string, string?>? BuildParameters(ProviderQuery query, TOptions settings);

    /// <summary>Maps a response of any status that the pipeline returned to a result.</summary>
    protected abstract Task<ProviderResult> MapResponseAsync(
        HttpResponseMessage response, EnrichmentField field, TOptions settings, CancellationToken cancellationToken);

    /// <summary>Returns true when a 200 body is a JSON object with an object <c>data</c> member, and that member.</summary>
    protected static bool TryGetDataObject([NotNullWhen(true)] JsonDocument? body, out JsonElement data)
    {
        data = default;
        return body is not null && body.RootElement.ValueKind == JsonValueKind.Object
            && body.RootElement.TryGetProperty("data", out data) && data.ValueKind == JsonValueKind.Object;
    }

    /// <summary>Returns the failure for a 200 body without an object <c>data</c> member.</summary>
    protected ProviderResult MissingDataObject() =>
        ProviderResult.Failed(ProviderErrorCodes.BadResponse, $"{DisplayName} returned 200 without a JSON object in \"data\".");

    /// <summary>
    /// Returns the failure for a status that the adapter does not map itself: 408 and 5xx left
    /// after the retries, other 4xx, and anything else unexpected.
    /// </summary>
    protected ProviderResult OtherFailure(HttpStatusCode statusCode, string detail) => statusCode switch
    {
        HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => ProviderResult.Failed(
            ProviderErrorCodes.Unavailable,
            $"{DisplayName} kept failing after the retries ({detail})."),
        >= HttpStatusCode.BadRequest => ProviderResult.Failed(
            ProviderErrorCodes.BadRequest,
            $"{DisplayName} rejected the request ({detail})."),
        _ => ProviderResult.Failed(
            ProviderErrorCodes.BadResponse,
            $"{DisplayName} returned an unexpected status ({detail})."),
    };

    private ProviderResult LogFailure(ProviderResult failure)
    {
        Log.ProviderCallFailed(logger, Name, failure.ErrorCode, failure.ErrorMessage);
        return failure;
    }
}
