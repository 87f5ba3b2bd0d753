using System.Globalization;
using System.Net;
using System.Text;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;
using WireMock;
using WireMock.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace ContactEnrichment.Functions.Tests.Providers.Http;

/// <summary>
/// Resilience and error-handling tests every HTTP provider adapter must pass, run against a
/// WireMock server on loopback that responds in the provider's documented format. Delays and
/// timeouts run on the host's <see cref="ObservedClock"/>, so no test sleeps.
/// </summary>
public abstract class HttpProviderContractTests : IDisposable
{
    protected const string ApiKey = "test-key-7f3c91d2e8b4";

    protected static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);
    protected static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(40);
    protected static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(2);
    protected const int MaxRetryAttempts = 3;

    private readonly List<ProviderTestHost> hosts = [];
    private readonly TaskCompletionSource releaseHungRequests = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected HttpProviderContractTests()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    }

    protected WireMockServer Server { get; }

    /// <summary>The provider name in <c>Providers:Order</c>.</summary>
    protected abstract string ProviderName { get; }

    /// <summary>The settings section, such as <c>Providers:Hunter</c>.</summary>
    protected abstract string SettingsSection { get; }

    /// <summary>The request path the adapter calls, such as <c>/v2/email-finder</c>.</summary>
    protected abstract string RequestPath { get; }

    protected abstract string ApiKeyHeader { get; }

    /// <summary>A documented 200 body with one work email, <see cref="ExpectedEmail"/>.</summary>
    protected abstract string FoundBody { get; }

    protected abstract string ExpectedEmail { get; }

    /// <summary>The status the provider documents for "slow down": 429 for PDL, 403 for Hunter.</summary>
    protected abstract int RateLimitStatus { get; }

    /// <summary>A documented error body for <paramref name="status"/>.</summary>
    protected abstract string ErrorBody(int status, string type);

    protected static ProviderQuery EmailQuery { get; } =
        new("Jane Doe", "Jane", "Doe", "Example Corp", "example.com", "https://www.linkedin.com/in/jane-doe-example", EnrichmentField.Emails);

    [Fact]
    public async Task FindAsync_Found_ReturnsNormalizedEmail()
    {
        Stub(200, FoundBody);
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        var email = Assert.Single(result.Data.Emails, email => email.Address == ExpectedEmail);
        Assert.Equal(ProviderName, email.Provider);
        Assert.Equal(ProviderTestHost.Start, email.FoundAt);
    }

    [Fact]
    public async Task FindAsync_Request_SendsKeyInHeaderOnly()
    {
        Stub(200, FoundBody);
        var host = CreateHost();

        await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        var request = Assert.Single(Server.LogEntries).RequestMessage;
        Assert.Equal(RequestPath, request.Path);
        Assert.NotNull(request.Headers);
        var header = request.Headers.Single(pair => pair.Key.Equals(ApiKeyHeader, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(ApiKey, Assert.Single(header.Value));
        Assert.DoesNotContain(ApiKey, request.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", request.Url, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FindAsync_NotFound404_ReturnsNotFound()
    {
        Stub(404, ErrorBody(404, "not_found"));
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Single(Server.LogEntries);
    }

    [Fact]
    public async Task FindAsync_Unauthorized401_FailsFastWithoutRetry()
    {
        Stub(401, ErrorBody(401, "authentication_error"));
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(ProviderErrorCodes.Unauthorized, result.ErrorCode);
        Assert.Contains($"{SettingsSection}:ApiKey", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(Server.LogEntries);
    }

    [Theory]
    [InlineData("{ \"data\": ")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("[]")]
    [InlineData("{ \"data\": [] }")]
    public async Task FindAsync_MalformedBody_FailsFastAsBadResponse(string body)
    {
        Stub(200, body);
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(ProviderErrorCodes.BadResponse, result.ErrorCode);
        Assert.Single(Server.LogEntries);
    }

    [Fact]
    public async Task FindAsync_ServerErrorThenSuccess_Retries()
    {
        StubSequence((500, ErrorBody(500, "api_error"), null), (200, FoundBody, null));
        var host = CreateHost();

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        var result = await host.Clock.AdvanceUntilCompletedAsync(task, IsBackoffDelay);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Equal(2, Server.LogEntries.Count);
        var retry = Assert.Single(host.Logs.WithEventId(3010));
        Assert.Contains("HTTP 500", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_ServerErrorEveryTime_FailsAsUnavailable()
    {
        Stub(503, ErrorBody(503, "api_error"));
        var host = CreateHost();

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        var result = await host.Clock.AdvanceUntilCompletedAsync(task, IsBackoffDelay);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(ProviderErrorCodes.Unavailable, result.ErrorCode);
        Assert.Equal(1 + MaxRetryAttempts, Server.LogEntries.Count);
    }

    [Fact]
    public async Task FindAsync_RateLimitedRetryAfterSeconds_WaitsThatLong()
    {
        StubSequence((RateLimitStatus, ErrorBody(RateLimitStatus, "rate_limit_error"), "7"), (200, FoundBody, null));
        var host = CreateHost();

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        var delay = await host.Clock.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(7));
        var requestsBeforeDelay = Server.LogEntries.Count;
        host.Clock.Advance(delay);
        var result = await task;

        Assert.Equal(1, requestsBeforeDelay);
        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Equal(2, Server.LogEntries.Count);
        Assert.Equal(7000L, Assert.Single(host.Logs.WithEventId(3010)).Values.Single(value => value.Key == "DelayMilliseconds").Value);
    }

    [Fact]
    public async Task FindAsync_RateLimitedRetryAfterDate_WaitsUntilThen()
    {
        var retryAt = ProviderTestHost.Start.AddSeconds(5).ToString("R", CultureInfo.InvariantCulture);
        StubSequence((RateLimitStatus, ErrorBody(RateLimitStatus, "rate_limit_error"), retryAt), (200, FoundBody, null));
        var host = CreateHost();

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        var delay = await host.Clock.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(5));
        host.Clock.Advance(delay);
        var result = await task;

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Equal(2, Server.LogEntries.Count);
    }

    [Fact]
    public async Task FindAsync_RetryAfterAboveLimit_FailsAsRateLimited()
    {
        Stub(RateLimitStatus, ErrorBody(RateLimitStatus, "rate_limit_error"), retryAfter: "120");
        var host = CreateHost();

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(ProviderErrorCodes.RateLimited, result.ErrorCode);
        Assert.Single(Server.LogEntries);
    }

    [Fact]
    public async Task FindAsync_RateLimitedEveryTime_FailsAsRateLimited()
    {
        Stub(RateLimitStatus, ErrorBody(RateLimitStatus, "rate_limit_error"));
        var host = CreateHost();

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        var result = await host.Clock.AdvanceUntilCompletedAsync(task, IsBackoffDelay);

        Assert.Equal(ProviderErrorCodes.RateLimited, result.ErrorCode);
        Assert.Equal(1 + MaxRetryAttempts, Server.LogEntries.Count);
    }

    [Fact]
    public async Task FindAsync_FirstAttemptHangs_TimesOutAndRetries()
    {
        var arrivals = StubHangingFirst(hangingRequests: 1);
        var host = CreateHost();

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        await arrivals.WaitAsync(TimeSpan.FromSeconds(10));
        host.Clock.Advance(AttemptTimeout);
        var result = await host.Clock.AdvanceUntilCompletedAsync(task, IsBackoffDelay);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Contains("TimeoutRejectedException", Assert.Single(host.Logs.WithEventId(3010)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_EveryAttemptHangs_FailsAsTimeout()
    {
        _ = StubHangingFirst(hangingRequests: int.MaxValue);
        var host = CreateHost(new() { [$"{SettingsSection}:Resilience:MaxRetryAttempts"] = "1" });

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        var result = await host.Clock.AdvanceUntilCompletedAsync(task, due => due == AttemptTimeout || IsBackoffDelay(due));

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal(ProviderErrorCodes.Timeout, result.ErrorCode);
    }

    [Fact]
    public async Task FindAsync_TotalTimeoutDuringRetries_FailsAsTimeout()
    {
        _ = StubHangingFirst(hangingRequests: int.MaxValue);
        var host = CreateHost(new() { [$"{SettingsSection}:Resilience:TotalTimeout"] = (AttemptTimeout + TimeSpan.FromSeconds(5)).ToString() });

        // Attempt 1 times out at 15 s and is retried; the 20 s total timeout ends attempt 2.
        var task = host.Provider(ProviderName).FindAsync(EmailQuery, default);
        var result = await host.Clock.AdvanceUntilCompletedAsync(task, due => due == AttemptTimeout || IsBackoffDelay(due));

        Assert.Equal(ProviderErrorCodes.Timeout, result.ErrorCode);
        Assert.Single(host.Logs.WithEventId(3010));
    }

    [Fact]
    public async Task FindAsync_RepeatedFailures_OpenThenCloseCircuit()
    {
        var host = CreateHost(new()
        {
            [$"{SettingsSection}:Resilience:MaxRetryAttempts"] = "1",
            [$"{SettingsSection}:Resilience:CircuitMinimumThroughput"] = "2",
            [$"{SettingsSection}:Resilience:CircuitBreakDuration"] = "00:00:30",
        });
        var provider = host.Provider(ProviderName);
        Stub(500, ErrorBody(500, "api_error"));

        var failing = await host.Clock.AdvanceUntilCompletedAsync(provider.FindAsync(EmailQuery, default), IsBackoffDelay);
        var rejected = await provider.FindAsync(EmailQuery, default);
        var requestsWhileOpen = Server.LogEntries.Count;
        Server.Reset();
        Stub(200, FoundBody);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        var recovered = await provider.FindAsync(EmailQuery, default);

        Assert.Equal(ProviderErrorCodes.Unavailable, failing.ErrorCode);
        Assert.Equal(ProviderErrorCodes.Unavailable, rejected.ErrorCode);
        Assert.Contains("circuit breaker is open", rejected.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, requestsWhileOpen);
        Assert.Equal(ProviderOutcome.Found, recovered.Outcome);
        Assert.Single(host.Logs.WithEventId(3011));
        Assert.Single(host.Logs.WithEventId(3013));
    }

    [Fact]
    public async Task FindAsync_AnyOutcome_NeverLogsApiKey()
    {
        var host = CreateHost();
        var provider = host.Provider(ProviderName);
        Stub(200, FoundBody);
        await provider.FindAsync(EmailQuery, default);
        Server.Reset();
        Stub(401, ErrorBody(401, "authentication_error"));
        await provider.FindAsync(EmailQuery, default);
        Server.Reset();
        StubSequence((500, ErrorBody(500, "api_error"), null), (200, FoundBody, null));
        await host.Clock.AdvanceUntilCompletedAsync(provider.FindAsync(EmailQuery, default), IsBackoffDelay);

        Assert.Contains(host.Logs.Entries, entry => entry.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.All(host.Logs.Entries, entry => Assert.DoesNotContain(ApiKey, entry.AllText, StringComparison.Ordinal));
        Assert.All(host.Logs.Entries, entry => Assert.DoesNotContain(ExpectedEmail, entry.AllText, StringComparison.OrdinalIgnoreCase));
        Assert.All(host.Logs.Entries, entry => Assert.DoesNotContain("Jane", entry.AllText, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task FindAsync_NoApiKey_FailsWithoutRequest()
    {
        Stub(200, FoundBody);
        var host = CreateHost(new() { [$"{SettingsSection}:ApiKey"] = "" });

        var result = await host.Provider(ProviderName).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderErrorCodes.BadConfiguration, result.ErrorCode);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task FindAsync_CallerCancels_Throws()
    {
        _ = StubHangingFirst(hangingRequests: int.MaxValue);
        var host = CreateHost();
        using var cancellation = new CancellationTokenSource();

        var task = host.Provider(ProviderName).FindAsync(EmailQuery, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    public void Dispose()
    {
        releaseHungRequests.TrySetResult();
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        Server.Stop();
        Server.Dispose();
        GC.SuppressFinalize(this);
    }

    private protected ProviderTestHost CreateHost(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Providers:Directory:Path"] = Path.Combine(Path.GetTempPath(), "no-directory-" + Guid.NewGuid().ToString("N") + ".json"),
            [$"{SettingsSection}:ApiKey"] = ApiKey,
            [$"{SettingsSection}:BaseAddress"] = Server.Urls[0],
            [$"{SettingsSection}:Resilience:AttemptTimeout"] = AttemptTimeout.ToString(),
            [$"{SettingsSection}:Resilience:TotalTimeout"] = TotalTimeout.ToString(),
            [$"{SettingsSection}:Resilience:RetryBaseDelay"] = "00:00:01",
            [$"{SettingsSection}:Resilience:RetryMaxDelay"] = RetryMaxDelay.ToString(),
            [$"{SettingsSection}:Resilience:MaxRetryAttempts"] = MaxRetryAttempts.ToString(CultureInfo.InvariantCulture),
            [$"{SettingsSection}:Resilience:MaxRetryAfter"] = "00:00:20",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var host = new ProviderTestHost(settings);
        hosts.Add(host);
        return host;
    }

    /// <summary>Matches a computed back-off delay, which is at most the configured cap.</summary>
    protected static bool IsBackoffDelay(TimeSpan dueTime) => dueTime > TimeSpan.Zero && dueTime <= RetryMaxDelay;

    protected void Stub(int status, string body, string? retryAfter = null) =>
        Server.Given(Request.Create().WithPath(RequestPath).UsingGet()).RespondWith(Reply(status, body, retryAfter));

    /// <summary>Responds to the requests in turn with the given responses, repeating the last one.</summary>
    protected void StubSequence(params (int Status, string Body, string? RetryAfter)[] responses)
    {
        for (var index = 0; index < responses.Length; index++)
        {
            var (status, body, retryAfter) = responses[index];
            var stub = Server.Given(Request.Create().WithPath(RequestPath).UsingGet()).InScenario("sequence");
            if (index > 0)
            {
                stub = stub.WhenStateIs($"step-{index}");
            }

            if (index < responses.Length - 1)
            {
                stub = stub.WillSetStateTo($"step-{index + 1}");
            }

            stub.RespondWith(Reply(status, body, retryAfter));
        }
    }

    /// <summary>
    /// Holds the first <paramref name="hangingRequests"/> requests open until the test ends and
    /// responds to later ones with <see cref="FoundBody"/>. The returned task completes when the
    /// first request has arrived.
    /// </summary>
    protected Task StubHangingFirst(int hangingRequests)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        Server.Given(Request.Create().WithPath(RequestPath).UsingGet()).RespondWith(Response.Create().WithCallback(async _ =>
        {
            arrived.TrySetResult();
            if (Interlocked.Increment(ref count) <= hangingRequests)
            {
                await releaseHungRequests.Task;
            }

            return JsonMessage(200, FoundBody);
        }));
        return arrived.Task;
    }

    private static IResponseBuilder Reply(int status, string body, string? retryAfter)
    {
        var response = Response.Create()
            .WithStatusCode(status)
            .WithHeader("Content-Type", "application/json")
            .WithBody(body);
        return retryAfter is null ? response : response.WithHeader("Retry-After", retryAfter);
    }

    private static ResponseMessage JsonMessage(int status, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 },
    };
}
