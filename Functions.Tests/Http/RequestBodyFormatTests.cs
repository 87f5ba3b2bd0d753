using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>How the body routes treat the declared media type, the encoding and malformed JSON.</summary>
[Collection(LocalStackDefinition.Name)]
public sealed class RequestBodyFormatTests(LocalStackFixture stack) : IAsyncLifetime
{
    private RunningApp app = null!;

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("text/plain", "Content-Type 'text/plain")]
    [InlineData("application/x-www-form-urlencoded", "Content-Type 'application/x-www-form-urlencoded")]
    [InlineData("application/xml", "Content-Type 'application/xml")]
    [InlineData("application/json; charset=latin1", "charset 'latin1'")]
    public async Task Batch_NonJsonContentType_Returns415AndWritesNothing(string contentType, string named)
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, credits: 10);
        using var request = Batch(context, ids[0]);
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await app.Client.SendAsync(request);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", problem.GetProperty("code").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, (await context.BalanceAsync()).Available);
    }

    [Fact]
    public async Task Batch_GzipEncoding_Returns415()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, credits: 10);
        using var request = Batch(context, ids[0]);
        request.Content!.Headers.ContentEncoding.Add("gzip");

        using var response = await app.Client.SendAsync(request);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Encoding 'gzip'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, (await context.BalanceAsync()).Available);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/merge-patch+json")]
    public async Task Batch_JsonOrNoContentType_Accepted(string? contentType)
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, credits: 10);
        using var request = Batch(context, ids[0]);
        request.Content!.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(9, (await context.BalanceAsync()).Available);
    }

    [Fact]
    public async Task Batch_RepeatedMember_NamesRuleWithoutEmptyPosition()
    {
        var context = new ApiTestContext(stack, app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/operations/enrichment/batch")
        {
            Content = new StringContent(
                "{\"personIds\":[\"11111111-1111-4111-8111-111111111111\"],\"field\":\"phones\",\"field\":\"emails\"}",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", stack.CreateToken(context.OrgId, context.UserId));

        using var response = await app.Client.SendAsync(request);
        var message = (await ApiTestContext.ReadJsonAsync(response)).GetProperty("errors").GetProperty("body")[0].GetString();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("repeats a member name", message, StringComparison.Ordinal);
        Assert.DoesNotContain("line ,", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Person_VeryLongId_EchoedShortened()
    {
        var context = new ApiTestContext(stack, app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/entities/persons/" + new string('a', 5000));
        request.Headers.Authorization = new("Bearer", stack.CreateToken(context.OrgId, context.UserId));

        using var response = await app.Client.SendAsync(request);
        var message = (await ApiTestContext.ReadJsonAsync(response)).GetProperty("errors").GetProperty("personId")[0].GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("(5000 characters)", message, StringComparison.Ordinal);
        Assert.True(message.Length < 300, $"The message has {message.Length} characters.");
    }

    private HttpRequestMessage Batch(ApiTestContext context, string personId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/operations/enrichment/batch")
        {
            Content = new StringContent($"{{\"personIds\":[\"{personId}\"],\"field\":\"emails\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", stack.CreateToken(context.OrgId, context.UserId));
        return request;
    }
}
