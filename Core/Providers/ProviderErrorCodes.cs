namespace ContactEnrichment.Core.Providers;

/// <summary>The error codes providers report in <see cref="ProviderResult.ErrorCode"/>.</summary>
public static class ProviderErrorCodes
{
    /// <summary>The provider rejected the API key (401, or 403 where it means forbidden).</summary>
    public const string Unauthorized = "PROVIDER_UNAUTHORIZED";

    /// <summary>The provider kept returning 5xx, could not be reached, or its circuit is open.</summary>
    public const string Unavailable = "PROVIDER_UNAVAILABLE";

    /// <summary>The provider did not respond within the attempt or total timeout.</summary>
    public const string Timeout = "PROVIDER_TIMEOUT";

    /// <summary>The provider kept rate-limiting after the retries.</summary>
    public const string RateLimited = "PROVIDER_RATE_LIMITED";

    /// <summary>The account's credits or plan quota are used up; retrying does not help.</summary>
    public const string QuotaExceeded = "PROVIDER_QUOTA_EXCEEDED";

    /// <summary>The provider rejected the request as invalid (400 and other unexpected 4xx).</summary>
    public const string BadRequest = "PROVIDER_BAD_REQUEST";

    /// <summary>The response did not have the documented shape, or had an unexpected status.</summary>
    public const string BadResponse = "PROVIDER_BAD_RESPONSE";

    /// <summary>The provider is misconfigured locally (for example an invalid directory file).</summary>
    public const string BadConfiguration = "PROVIDER_BAD_CONFIGURATION";

    /// <summary>The provider threw instead of returning a result; the exception is logged.</summary>
    public const string InternalError = "PROVIDER_INTERNAL_ERROR";
}
