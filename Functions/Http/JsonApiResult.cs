using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ContactEnrichment.Core.Serialization;

namespace ContactEnrichment.Functions.Http;

/// <summary>
/// Writes a value as JSON with the API's serializer settings. It does not depend on MVC's
/// formatters, so it behaves the same under the Functions host and DevHost.
/// </summary>
public sealed class JsonApiResult(
    object? value,
    int statusCode = StatusCodes.Status200OK,
    string contentType = "application/json",
    IReadOnlyDictionary<string, string>? headers = null)
    : IActionResult
{
    public object? Value { get; } = value;

    public int StatusCode { get; } = statusCode;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = $"{contentType}; charset=utf-8";
        foreach (var (name, headerValue) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = headerValue;
        }

        await JsonSerializer.SerializeAsync(response.Body, Value, Value?.GetType() ?? typeof(object), JsonDefaults.Options,
            context.HttpContext.RequestAborted);
    }
}
