using System.Globalization;
using System.Text.Json;
using ContactEnrichment.DevHost.Catalog;

namespace ContactEnrichment.DevHost.Configuration;

/// <summary>
/// The parts of host.json that DevHost applies: the HTTP route prefix, the queue trigger
/// settings and the log levels. Missing values take the Functions host's defaults.
/// </summary>
public sealed record HostSettings(string RoutePrefix, QueueHostSettings Queues, IReadOnlyDictionary<string, string> LogLevels)
{
    public const string FileName = "host.json";

    /// <summary>Settings of an empty host.json.</summary>
    public static HostSettings Default { get; } = new("api", QueueHostSettings.Default, new Dictionary<string, string>());

    /// <summary>
    /// Finds host.json in <paramref name="directories"/> (first match wins) and loads it.
    /// </summary>
    /// <exception cref="DevHostConfigurationException">No folder has it, or it is invalid.</exception>
    public static HostSettings Find(params string?[] directories)
    {
        foreach (var directory in directories)
        {
            if (!string.IsNullOrEmpty(directory) && File.Exists(Path.Combine(directory, FileName)))
            {
                return Load(Path.Combine(directory, FileName));
            }
        }

        throw new DevHostConfigurationException(
            $"host.json was not found in {string.Join(", ", directories.Where(d => !string.IsNullOrEmpty(d)))}. Build the Functions project, which copies it to its output.");
    }

    public static HostSettings Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (DevHostConfigurationException exception)
        {
            throw new DevHostConfigurationException($"{path}: {exception.Message}", exception);
        }
    }

    public static HostSettings Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new DevHostConfigurationException($"host.json is not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            var extensions = JsonProperties.Find(root, "extensions");
            var http = extensions is { } e ? JsonProperties.Find(e, "http") : null;
            var queues = extensions is { } x ? JsonProperties.Find(x, "queues") : null;
            var logging = JsonProperties.Find(root, "logging");
            var logLevels = logging is { } l ? JsonProperties.Find(l, "logLevel") : null;

            var routePrefix = http is { } h ? JsonProperties.GetString(h, "routePrefix") : null;
            return new HostSettings(
                (routePrefix ?? Default.RoutePrefix).Trim('/'),
                queues is { } q ? QueueHostSettings.Parse(q) : QueueHostSettings.Default,
                logLevels is { ValueKind: JsonValueKind.Object } levels
                    ? levels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase)
                    : new Dictionary<string, string>());
        }
    }

    internal static TimeSpan ReadTimeSpan(JsonElement section, string name, TimeSpan fallback)
    {
        var text = JsonProperties.GetString(section, name);
        if (text is null)
        {
            return fallback;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new DevHostConfigurationException($"extensions.queues.{name} is '{text}'; expected a time span such as 00:00:30.");
    }

    internal static int? ReadInt(JsonElement section, string name) =>
        JsonProperties.Find(section, name) switch
        {
            null => null,
            { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var value) => value,
            var other => throw new DevHostConfigurationException($"extensions.queues.{name} is {other}; expected a whole number."),
        };
}

/// <summary>How queue messages are encoded: host.json <c>extensions.queues.messageEncoding</c>.</summary>
public enum MessageEncoding
{
    Base64,
    None,
}

/// <summary>
/// Queue trigger settings from host.json <c>extensions.queues</c>, with the defaults of the
/// Storage Queues extension 5.x.
/// </summary>
/// <param name="BatchSize">Messages received per poll, 1 to 32. Default 16.</param>
/// <param name="NewBatchThreshold">
/// A new batch is received once no more than this many messages are still running. Default
/// half the batch size times the processor count, as the extension computes it.
/// </param>
/// <param name="MaxDequeueCount">Deliveries before a failing message moves to the poison queue. Default 5.</param>
/// <param name="VisibilityTimeout">Delay before a failed message is delivered again. Default 0.</param>
/// <param name="MaxPollingInterval">Longest wait between polls of an empty queue, at least 100 ms. Default 1 minute.</param>
/// <param name="MessageEncoding">Encoding of message bodies. Default Base64.</param>
/// <param name="MessageLease">
/// How long a received message stays invisible; renewed at half of it while the function runs.
/// Not a host.json setting: the extension fixes it at 10 minutes, and tests shorten it.
/// </param>
public sealed record QueueHostSettings(
    int BatchSize,
    int NewBatchThreshold,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval,
    MessageEncoding MessageEncoding,
    TimeSpan MessageLease)
{
    /// <summary>Shortest wait between polls, also the first back-off step (100 ms in the extension).</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    private const int DefaultBatchSize = 16;

    public static QueueHostSettings Default { get; } = new(
        DefaultBatchSize,
        DefaultNewBatchThreshold(DefaultBatchSize),
        5,
        TimeSpan.Zero,
        TimeSpan.FromMinutes(1),
        MessageEncoding.Base64,
        TimeSpan.FromMinutes(10));

    internal static QueueHostSettings Parse(JsonElement section)
    {
        var batchSize = HostSettings.ReadInt(section, "batchSize") ?? DefaultBatchSize;
        var encodingText = JsonProperties.GetString(section, "messageEncoding") ?? "base64";
        var encoding = encodingText.ToUpperInvariant() switch
        {
            "BASE64" => MessageEncoding.Base64,
            "NONE" => MessageEncoding.None,
            _ => throw new DevHostConfigurationException($"extensions.queues.messageEncoding is '{encodingText}'; expected base64 or none."),
        };

        var settings = new QueueHostSettings(
            batchSize,
            HostSettings.ReadInt(section, "newBatchThreshold") ?? DefaultNewBatchThreshold(batchSize),
            HostSettings.ReadInt(section, "maxDequeueCount") ?? Default.MaxDequeueCount,
            HostSettings.ReadTimeSpan(section, "visibilityTimeout", Default.VisibilityTimeout),
            HostSettings.ReadTimeSpan(section, "maxPollingInterval", Default.MaxPollingInterval),
            encoding,
            Default.MessageLease);
        settings.Validate();
        return settings;
    }

    /// <exception cref="DevHostConfigurationException">A value is outside the range the extension accepts.</exception>
    public void Validate()
    {
        Require(BatchSize is >= 1 and <= 32, $"batchSize is {BatchSize}; it must be 1 to 32 (the most one receive call returns).");
        Require(NewBatchThreshold >= 0, $"newBatchThreshold is {NewBatchThreshold}; it must be 0 or more.");
        Require(MaxDequeueCount >= 1, $"maxDequeueCount is {MaxDequeueCount}; it must be 1 or more.");
        Require(VisibilityTimeout >= TimeSpan.Zero, $"visibilityTimeout is {VisibilityTimeout}; it must not be negative.");
        Require(MaxPollingInterval >= MinPollingInterval, $"maxPollingInterval is {MaxPollingInterval}; it must be at least 100 ms.");
        Require(MessageLease >= TimeSpan.FromSeconds(1), $"the message lease is {MessageLease}; it must be at least 1 second.");
    }

    private static int DefaultNewBatchThreshold(int batchSize) => batchSize / 2 * Environment.ProcessorCount;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new DevHostConfigurationException($"extensions.queues: {message}");
        }
    }
}
