using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ContactEnrichment.Functions.Http;

/// <summary>Serves the API's OpenAPI document, the committed <c>docs/openapi.json</c>, embedded in this assembly.</summary>
public sealed class OpenApiFunctions
{
    /// <summary>The manifest name of the embedded document; Functions.csproj sets it.</summary>
    public const string ResourceName = "ContactEnrichment.Functions.openapi.json";

    private static readonly Lazy<byte[]> Document = new(ReadDocument);

    private readonly byte[] content = Document.Value;

    [Function("GetOpenApiDocument")]
    public IActionResult Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new DocumentResult(content);

    /// <summary>Returns the embedded document's bytes, exactly as committed.</summary>
    public static byte[] ReadDocument()
    {
        using var stream = typeof(OpenApiFunctions).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no embedded resource {ResourceName}; check Functions.csproj.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private sealed class DocumentResult(byte[] content) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = content.Length;
            await response.Body.WriteAsync(content, context.HttpContext.RequestAborted);
        }
    }
}
