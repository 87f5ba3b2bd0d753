using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ContactEnrichment.Core.Providers.Http;

/// <summary>The response of one provider request, or the failure the pipeline ended with.</summary>
internal sealed record ProviderHttpOutcome(HttpResponseMessage? Response, ProviderResult? Failure);

internal static class ProviderHttp
{
    /// <summary>
    /// Sends <paramref name="request"/> through the client's resilience pipeline and turns the
    /// exceptions the pipeline ends with into failed results. Throws only when
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<ProviderHttpOutcome> SendAsync(
        HttpClient client, HttpRequestMessage request, string displayName, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return new ProviderHttpOutcome(response, null);
        }
        catch (BrokenCircuitException)
        {
            return Failed(
                ProviderErrorCodes.Unavailable,
                $"{displayName} is skipped because its circuit breaker is open after repeated failures; it is tried again after the break duration.");
        }
        catch (TimeoutRejectedException)
        {
            return Failed(ProviderErrorCodes.Timeout, $"{displayName} did not respond within the configured timeout.");
        }
        catch (HttpRequestException exception)
        {
            return Failed(ProviderErrorCodes.Unavailable, $"{displayName} could not be reached: {exception.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(ProviderErrorCodes.Timeout, $"{displayName} did not respond before the HTTP client timed out.");
        }
    }

    /// <summary>Parses a JSON body, or returns null when it is not JSON.</summary>
    public static async Task<JsonDocument?> TryReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Returns the string property <paramref name="name"/> of an object, or null.</summary>
    public static string? GetString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static ProviderHttpOutcome Failed(string code, string message) =>
        new(null, ProviderResult.Failed(code, message));
}
