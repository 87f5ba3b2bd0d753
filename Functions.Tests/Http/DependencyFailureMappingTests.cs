using System.Net;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Functions.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>The mapping of storage failures that reach <see cref="ApiRequestRunner"/> to 503 or 500.</summary>
[Collection(LocalStackDefinition.Name)]
public sealed class DependencyFailureMappingTests(LocalStackFixture stack) : IAsyncLifetime
{
    private RunningApp app = null!;

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, 503)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 503)]
    [InlineData(HttpStatusCode.RequestTimeout, 503)]
    [InlineData((HttpStatusCode)449, 503)]
    [InlineData(HttpStatusCode.InternalServerError, 500)]
    [InlineData(HttpStatusCode.Forbidden, 500)]
    public async Task Runner_CosmosFailure_MapsStatus(HttpStatusCode cosmosStatus, int expected)
    {
        var (status, headers, body) = await RunThrowingAsync(new CosmosException("failed", cosmosStatus, 0, "activity", 0));

        Assert.Equal(expected, status);
        Assert.Equal(expected == 503 ? "DEPENDENCY_UNAVAILABLE" : "INTERNAL_ERROR", ProblemCode(body));
        Assert.Equal(expected == 503 ? "1" : null, headers["Retry-After"].FirstOrDefault());
    }

    [Theory]
    [InlineData(429, 503)]
    [InlineData(500, 503)]
    [InlineData(503, 503)]
    [InlineData(404, 500)]
    [InlineData(403, 500)]
    public async Task Runner_QueueFailure_MapsStatus(int queueStatus, int expected)
    {
        var (status, headers, body) = await RunThrowingAsync(new RequestFailedException(queueStatus, "queue failed"));

        Assert.Equal(expected, status);
        Assert.Equal(expected == 503 ? "DEPENDENCY_UNAVAILABLE" : "INTERNAL_ERROR", ProblemCode(body));
        Assert.Equal(expected == 503 ? "1" : null, headers["Retry-After"].FirstOrDefault());
    }

    [Fact]
    public async Task Runner_QueueRetryAfter_Copied()
    {
        using var throttled = new StubResponse(503, ("Retry-After", "7"));

        var (status, headers, _) = await RunThrowingAsync(new RequestFailedException(throttled));

        Assert.Equal(503, status);
        Assert.Equal("7", headers["Retry-After"].FirstOrDefault());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(5, 1)]
    [InlineData(1_000, 1)]
    [InlineData(1_001, 2)]
    [InlineData(2_500, 3)]
    public void RetryAfterSeconds_Milliseconds_RoundedUp(int milliseconds, int expected)
    {
        Assert.Equal(expected, Problems.RetryAfterSeconds(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void RetryAfterSeconds_Missing_One()
    {
        Assert.Equal(1, Problems.RetryAfterSeconds(null));
        Assert.Equal(1, Problems.RetryAfterSeconds(TimeSpan.FromSeconds(-3)));
    }

    private async Task<(int Status, IHeaderDictionary Headers, string Body)> RunThrowingAsync(Exception failure)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/operations/enrichment/batch";
        context.Request.Headers.Authorization = "Bearer " + stack.CreateToken("org_mapping", "user_mapping");
        using var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        var runner = app.Services.GetRequiredService<ApiRequestRunner>();

        var result = await runner.RunAsync(context.Request, _ => Task.FromException<IActionResult>(failure));
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));

        return (context.Response.StatusCode, context.Response.Headers, System.Text.Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    /// <summary>A queue service response with a status and headers, and no body.</summary>
    private sealed class StubResponse(int status, params (string Name, string Value)[] headers) : Response
    {
        public override int Status => status;

        public override string ReasonPhrase => "Server Busy";

        public override Stream? ContentStream { get; set; }

        public override string ClientRequestId { get; set; } = "request-1";

        public override void Dispose()
        {
        }

        protected override bool ContainsHeader(string name) => headers.Any(header => Matches(header.Name, name));

        protected override IEnumerable<Azure.Core.HttpHeader> EnumerateHeaders() =>
            headers.Select(header => new Azure.Core.HttpHeader(header.Name, header.Value));

        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = headers.FirstOrDefault(header => Matches(header.Name, name)).Value;
            return value is not null;
        }

        protected override bool TryGetHeaderValues(
            string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = headers.Where(header => Matches(header.Name, name)).Select(header => header.Value).ToList();
            return values.Any();
        }

        private static bool Matches(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
    }

    private static string? ProblemCode(string body) =>
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();
}
