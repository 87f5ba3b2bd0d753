using ContactEnrichment.Core.Domain;
using Microsoft.Extensions.Logging;

namespace ContactEnrichment.Core.Providers;

/// <summary>
/// Log messages of the providers area, event ids 3000 to 3099. They carry provider names,
/// fields, counts, paths and error codes, never names of people, emails, phones or keys.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "Directory file {Path} does not exist; the directory provider finds nothing until it is created")]
    public static partial void DirectoryFileMissing(ILogger logger, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error,
        Message = "Directory file {Path} is invalid; directory lookups fail until it is fixed: {Error}")]
    public static partial void DirectoryFileInvalid(ILogger logger, string path, string error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "Loaded directory file {Path} with {EntryCount} entries")]
    public static partial void DirectoryFileLoaded(ILogger logger, string path, int entryCount);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "Directory file {Path} has {InvalidEmails} invalid emails and {InvalidPhones} invalid phone numbers in {EntryCount} entries, which are skipped; first affected entry indexes: {EntryIndexes}")]
    public static partial void DirectoryFileHasInvalidValues(
        ILogger logger, string path, int invalidEmails, int invalidPhones, int entryCount, string entryIndexes);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug,
        Message = "Directory lookup for {Field} matched {MatchCount} entries")]
    public static partial void DirectoryMatched(ILogger logger, int matchCount, EnrichmentField field);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning,
        Message = "Provider {Provider} attempt {Attempt} failed with {Outcome}; retrying in {DelayMilliseconds} ms")]
    public static partial void ProviderRetrying(ILogger logger, string provider, int attempt, long delayMilliseconds, string outcome);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning,
        Message = "Provider {Provider} circuit opened after {Outcome}; calls are rejected for {BreakMilliseconds} ms")]
    public static partial void ProviderCircuitOpened(ILogger logger, string provider, long breakMilliseconds, string outcome);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information,
        Message = "Provider {Provider} circuit half-open; the next call probes the provider")]
    public static partial void ProviderCircuitHalfOpened(ILogger logger, string provider);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information,
        Message = "Provider {Provider} circuit closed")]
    public static partial void ProviderCircuitClosed(ILogger logger, string provider);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning,
        Message = "Provider {Provider} failed with {ErrorCode}: {ErrorMessage}")]
    public static partial void ProviderCallFailed(ILogger logger, string provider, string? errorCode, string? errorMessage);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Debug,
        Message = "Provider {Provider} skipped for {Field}: the person has too little identifying data for its API")]
    public static partial void ProviderSkippedInsufficientInput(ILogger logger, string provider, EnrichmentField field);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Debug,
        Message = "Provider {Provider} match rejected: confidence {Score} is below the minimum {Minimum}")]
    public static partial void ProviderLowConfidence(ILogger logger, string provider, int score, int minimum);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning,
        Message = "Provider {Provider} returned contact fields as true or false instead of values; the API key's plan does not include contact data")]
    public static partial void ProviderContactFieldsHidden(ILogger logger, string provider);

    [LoggerMessage(EventId = 3018, Level = LogLevel.Information,
        Message = "Provider {Provider} returned 451: the person requested that it stop processing their data, so nothing is used")]
    public static partial void ProviderDataClaimed(ILogger logger, string provider);

    [LoggerMessage(EventId = 3019, Level = LogLevel.Debug,
        Message = "Provider {Provider} returned {InvalidEmails} invalid emails and {InvalidPhones} invalid phone numbers, which are dropped")]
    public static partial void ProviderDroppedInvalidValues(ILogger logger, string provider, int invalidEmails, int invalidPhones);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information,
        Message = "Waterfall for {Field}: provider {Provider} returned {Outcome} {ErrorCode}")]
    public static partial void WaterfallProviderResponded(ILogger logger, string field, string provider, ProviderOutcome outcome, string? errorCode);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Error,
        Message = "Waterfall for {Field}: provider {Provider} threw instead of returning a result")]
    public static partial void WaterfallProviderThrew(ILogger logger, Exception exception, string provider, string field);

    [LoggerMessage(EventId = 3032, Level = LogLevel.Error,
        Message = "Waterfall for {Field}: no configured provider supports the field")]
    public static partial void WaterfallHasNoProviders(ILogger logger, string field);

    [LoggerMessage(EventId = 3033, Level = LogLevel.Error,
        Message = "Waterfall for {Field}: provider {Provider} in the configured order is not registered and is skipped")]
    public static partial void WaterfallUnknownProvider(ILogger logger, string field, string provider);
}
