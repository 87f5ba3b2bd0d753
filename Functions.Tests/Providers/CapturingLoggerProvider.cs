using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ContactEnrichment.Functions.Tests.Providers;

/// <summary>A logged entry with its formatted message and structured values.</summary>
internal sealed record CapturedLog(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>> Values,
    Exception? Exception)
{
    /// <summary>Returns every text the entry carries: message, values, scope and exception.</summary>
    public string AllText =>
        string.Join(
            '\n',
            [Message, .. Values.Select(value => $"{value.Key}={value.Value}"), Exception?.ToString() ?? string.Empty]);
}

/// <summary>Captures every log entry of every level, including scopes, for assertions.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    public IReadOnlyList<CapturedLog> WithEventId(int eventId) =>
        Entries.Where(entry => entry.EventId.Id == eventId).ToList();

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<KeyValuePair<string, object?>>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                values.AddRange(pairs);
            }

            owner.scopes.ForEachScope(
                (scope, list) => list.Add(new KeyValuePair<string, object?>("scope", scope?.ToString())),
                values);
            if (values.Count == 0 || state is not IEnumerable<KeyValuePair<string, object?>>)
            {
                values.Add(new KeyValuePair<string, object?>("state", state?.ToString()));
            }

            owner.entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}
