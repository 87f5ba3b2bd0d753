namespace ContactEnrichment.Core.Api;

/// <summary>Problem <c>code</c> values of the API's error responses.</summary>
public static class ProblemCodes
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string InsufficientCredits = "INSUFFICIENT_CREDITS";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string InternalError = "INTERNAL_ERROR";
    public const string DependencyUnavailable = "DEPENDENCY_UNAVAILABLE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
}

/// <summary>
/// A client error that the HTTP layer turns into an RFC 9457 problem response. Thrown before
/// anything is written, so a caller that gets one can rely on nothing having changed.
/// </summary>
public sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string code, string title, string detail,
        IReadOnlyDictionary<string, string[]>? errors = null)
        : base(detail)
    {
        Status = status;
        Code = code;
        Title = title;
        Errors = errors;
    }

    public int Status { get; }

    public string Code { get; }

    public string Title { get; }

    /// <summary>Invalid members by JSON path, each with the reasons; only for validation errors.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    public static ApiProblemException Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(400, ProblemCodes.ValidationError, "The request is invalid.",
            "One or more members of the request are invalid; see errors.", errors);

    public static ApiProblemException Validation(string member, string message) =>
        Validation(new Dictionary<string, string[]> { [member] = [message] });

    public static ApiProblemException NotFound(string detail) =>
        new(404, ProblemCodes.NotFound, "Not found.", detail);

    public static ApiProblemException Conflict(string detail) =>
        new(409, ProblemCodes.Conflict, "Conflict.", detail);
}
