using System.Globalization;
using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Functions.Http;

/// <summary>
/// The steps every authenticated route shares: validate the bearer token, read a bounded JSON
/// body, and map failures to problem responses. ASP.NET Core middleware does not run for
/// functions, so the functions call this themselves.
/// </summary>
public sealed partial class ApiRequestRunner(BearerTokenValidator tokens, ILogger<ApiRequestRunner> logger)
{
    /// <summary>Maximum accepted request body, in bytes (64 KiB).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maximum nesting of arrays and objects in a request body.</summary>
    public const int MaxJsonDepth = 32;

    public Task<IActionResult> RunAsync(HttpRequest request, Func<CallerIdentity, Task<IActionResult>> handler) =>
        ExecuteAsync(request, async () =>
        {
            var caller = await tokens.ValidateAsync(request.Headers.Authorization.ToString());
            return await handler(caller);
        });

    public Task<IActionResult> RunWithBodyAsync(
        HttpRequest request, Func<CallerIdentity, JsonElement, Task<IActionResult>> handler, int maxBodyBytes = MaxBodyBytes) =>
        ExecuteAsync(request, async () =>
        {
            var caller = await tokens.ValidateAsync(request.Headers.Authorization.ToString());
            var body = await ReadJsonBodyAsync(request, maxBodyBytes);
            return await handler(caller, body);
        });

    private async Task<IActionResult> ExecuteAsync(HttpRequest request, Func<Task<IActionResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ApiProblemException problem)
        {
            return Problems.From(problem, credentialsSent: request.Headers.Authorization.Count > 0);
        }
        catch (InsufficientCreditsException exception)
        {
            return Problems.InsufficientCredits(exception);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return new StatusCodeResult(499);
        }
        catch (CosmosException exception) when (TransientStorageRetry.IsTransient(exception))
        {
            // Thrown after the SDK's and TransientStorageRetry's retries were spent. The message
            // and diagnostics are left out of the log because they can contain document content.
            Log.CosmosUnavailable(logger, (int)exception.StatusCode, exception.SubStatusCode, exception.ActivityId ?? "",
                request.Method, request.Path.Value ?? "");
            return Problems.DependencyUnavailable(exception.RetryAfter);
        }
        catch (RequestFailedException exception) when (IsTransientQueueFailure(exception))
        {
            // The queue is the only Azure Storage service that routes use. The start routes catch
            // a failed send themselves, because the pending sweep sends it again, so no route
            // lets one through today.
            Log.QueueUnavailable(logger, exception.Status, exception.ErrorCode ?? "", request.Method, request.Path.Value ?? "");
            return Problems.DependencyUnavailable(RetryAfterOf(exception));
        }
#pragma warning disable CA1031 // The API's contract: anything unexpected is a 500 without internal details.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.Unhandled(logger, exception, request.Method, request.Path.Value ?? "");
            return Problems.Internal();
        }
    }

    /// <summary>Reads the body as one JSON value of at most <paramref name="maxBytes"/>.</summary>
    public static async Task<JsonElement> ReadJsonBodyAsync(HttpRequest request, int maxBytes = MaxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureJsonContent(request);
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw ApiProblemException.Validation("body", "The request body is empty; send a JSON object.");
        }

        var bytes = buffer.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw ApiProblemException.Validation("body", "The request body is not valid UTF-8; send JSON encoded as UTF-8.");
        }

        JsonElement root;
        try
        {
            var options = new JsonDocumentOptions { MaxDepth = MaxJsonDepth, AllowDuplicateProperties = false };
            using var document = JsonDocument.Parse(bytes, options);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            var position = exception.LineNumber is { } line && exception.BytePositionInLine is { } column
                ? $" (line {line + 1}, byte {column + 1})"
                : "";
            throw ApiProblemException.Validation("body",
                $"The request body is not valid JSON, nests deeper than {MaxJsonDepth} levels, or repeats a member name{position}.");
        }

        EnsureValidStrings(root, "");
        return root;
    }

    /// <summary>
    /// Rejects a body declared as anything but uncompressed UTF-8 JSON with 415. A request
    /// without a <c>Content-Type</c> is read as JSON, because HTTP makes the header optional and some
    /// clients leave it out.
    /// </summary>
    private static void EnsureJsonContent(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            throw UnsupportedMediaType($"Content-Encoding '{RouteInput.Shorten(encoding)}' is not supported; send the body uncompressed.");
        }

        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !IsJson(mediaType.MediaType.Value))
        {
            throw UnsupportedMediaType(
                $"Content-Type '{RouteInput.Shorten(contentType)}' is not supported; send the body as application/json.");
        }

        var charset = mediaType.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw UnsupportedMediaType($"The charset '{RouteInput.Shorten(charset)}' is not supported; send the body as UTF-8.");
        }
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null &&
        (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static ApiProblemException UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, ProblemCodes.UnsupportedMediaType, "Unsupported media type.", detail);

    /// <summary>
    /// Rejects strings and member names that cannot be converted to .NET strings, such as a lone
    /// surrogate escape (<c>"\ud800"</c>), which would otherwise fail later inside a parser.
    /// </summary>
    private static void EnsureValidStrings(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            EnsureConvertible(() => element.GetString(), path);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                EnsureValidStrings(item, $"{path}[{index++}]");
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                var name = EnsureConvertible(() => property.Name, path.Length == 0 ? "body" : path);
                EnsureValidStrings(property.Value, path.Length == 0 ? name : $"{path}.{name}");
            }
        }
    }

    private static string EnsureConvertible(Func<string?> read, string path)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw ApiProblemException.Validation(path.Length == 0 ? "body" : path,
                "The text contains an invalid Unicode escape, such as a lone surrogate.");
        }
    }

    private static bool IsTransientQueueFailure(RequestFailedException exception) =>
        exception.Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status500InternalServerError
            or StatusCodes.Status503ServiceUnavailable;

    /// <summary>Returns the delay-seconds form of the response's <c>Retry-After</c>, if it has one.</summary>
    private static TimeSpan? RetryAfterOf(RequestFailedException exception)
    {
        var response = exception.GetRawResponse();
        if (response is not null && response.Headers.TryGetValue("Retry-After", out var value) &&
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    private static ApiProblemException TooLarge(int maxBytes) =>
        ApiProblemException.Validation("body", $"The request body is larger than the limit of {maxBytes} bytes ({maxBytes / 1024} KiB).");

    private static partial class Log
    {
        [LoggerMessage(4001, LogLevel.Error, "Unhandled error in {Method} {Path}")]
        public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

        [LoggerMessage(4002, LogLevel.Error, "Cosmos DB returned {Status} (substatus {SubStatus}, activity {ActivityId}) after every retry in {Method} {Path}, so the response is 503")]
        public static partial void CosmosUnavailable(ILogger logger, int status, int subStatus, string activityId, string method, string path);

        [LoggerMessage(4003, LogLevel.Error, "The queue service returned {Status} ({ErrorCode}) in {Method} {Path}, so the response is 503")]
        public static partial void QueueUnavailable(ILogger logger, int status, string errorCode, string method, string path);
    }
}
