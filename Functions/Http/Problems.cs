using System.Globalization;
using Microsoft.AspNetCore.Http;
using ContactEnrichment.Core.Api;
using ContactEnrichment.Core.Credits;

namespace ContactEnrichment.Functions.Http;

/// <summary>An RFC 9457 problem document with the API's <c>code</c> and, for 400, <c>errors</c>.</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>Builds problem responses; every error response of the API goes through here.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <param name="credentialsSent">Whether the request had an Authorization header; RFC 6750 gives no error code without one.</param>
    public static JsonApiResult From(ApiProblemException problem, bool credentialsSent = true)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            // RFC 6750: a 401 names the scheme, and "invalid_token" unless no token was sent at all.
            var challenge = problem.Code == ProblemCodes.Unauthorized && credentialsSent ? "Bearer error=\"invalid_token\"" : "Bearer";
            return Create(problem.Status, problem.Code, problem.Title, problem.Message, problem.Errors,
                new Dictionary<string, string> { ["WWW-Authenticate"] = challenge });
        }

        return Create(problem.Status, problem.Code, problem.Title, problem.Message, problem.Errors);
    }

    public static JsonApiResult InsufficientCredits(InsufficientCreditsException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Create(402, ProblemCodes.InsufficientCredits, "Insufficient credits.",
            $"This request needs {Credits(exception.Required)} but only {Credits(exception.Available)} available. Nothing was reserved or started.",
            null);
    }

    public static JsonApiResult Internal() =>
        Create(500, ProblemCodes.InternalError, "Internal error.",
            "The request failed unexpectedly. Retry it; if the error persists, contact support.", null);

    /// <summary>
    /// Builds the 503 for a storage service that stayed busy or unavailable after the app's
    /// retries, with a <c>Retry-After</c> of <paramref name="retryAfter"/> rounded up to whole
    /// seconds (at least 1).
    /// </summary>
    public static JsonApiResult DependencyUnavailable(TimeSpan? retryAfter)
    {
        var seconds = RetryAfterSeconds(retryAfter);
        return Create(StatusCodes.Status503ServiceUnavailable, ProblemCodes.DependencyUnavailable, "Dependency unavailable.",
            $"A storage service of the app is busy or unavailable. Retry the request after {seconds} s. Repeating it " +
            "is safe, because records it already started are reused and no credits are charged twice.",
            null,
            new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Returns a wait in whole seconds for <c>Retry-After</c>: rounded up, at least 1.</summary>
    public static int RetryAfterSeconds(TimeSpan? retryAfter)
    {
        if (retryAfter is not { } wait || wait <= TimeSpan.Zero)
        {
            return 1;
        }

        return (int)Math.Min(Math.Ceiling(wait.TotalSeconds), int.MaxValue);
    }

    public static JsonApiResult Create(
        int status, string code, string title, string detail, IReadOnlyDictionary<string, string[]>? errors,
        IReadOnlyDictionary<string, string>? headers = null) =>
        new(new ProblemBody(TypeOf(code), title, status, detail, code, errors), status, ContentType, headers);

    private static string Credits(long count) => count == 1 ? "1 credit" : $"{count} credits";

    /// <summary>The problem type URI of an API error code.</summary>
    public static string TypeOf(string code) =>
        "https://contact-enrichment.dev/problems/" + code.ToLowerInvariant().Replace('_', '-');
}
