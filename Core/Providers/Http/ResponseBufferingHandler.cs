namespace ContactEnrichment.Core.Providers.Http;

/// <summary>
/// Reads the response body inside the resilience pipeline, so that the attempt timeout also
/// covers a provider that sends headers and then stalls, and such a stall can be retried.
/// Bodies larger than <see cref="MaxBodyBytes"/> fail with an <see cref="HttpRequestException"/>.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    /// <summary>4 MiB. One person's record is expected to be far smaller; this is an estimate, not a documented limit.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxBodyBytes, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
