using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactEnrichment.Functions.Tests.Providers;

public sealed class ProviderWaterfallTests
{
    private static readonly DateTimeOffset FoundAt = new(2025, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private static readonly ProviderQuery EmailQuery =
        new("Jane Doe", "Jane", "Doe", null, "example.com", null, EnrichmentField.Emails);

    [Fact]
    public async Task FindAsync_FirstProviderFinds_StopsThere()
    {
        var first = FakeProvider.Finding("first", "jane@example.com");
        var second = FakeProvider.Finding("second", "other@example.com");
        using var host = CreateHost(["first", "second"], first, second);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        Assert.Equal("jane@example.com", Assert.Single(result.Data.Emails).Address);
        Assert.Equal(1, first.Calls);
        Assert.Equal(0, second.Calls);
    }

    [Fact]
    public async Task FindAsync_ConfiguredOrder_IsRespected()
    {
        var calls = new List<string>();
        var first = FakeProvider.Returning("first", ProviderResult.NotFound, calls);
        var second = FakeProvider.Returning("second", ProviderResult.Failed("PROVIDER_TIMEOUT", "slow"), calls);
        var third = FakeProvider.Finding("third", "jane@example.com", calls);
        using var host = CreateHost(["third", "first", "second"], first, second, third);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(["third"], calls);
        Assert.Equal(ProviderOutcome.Found, result.Outcome);
    }

    [Fact]
    public async Task FindAsync_EarlierMissAndFailure_ContinuesToFinder()
    {
        var calls = new List<string>();
        var missing = FakeProvider.Returning("missing", ProviderResult.NotFound, calls);
        var failing = FakeProvider.Returning("failing", ProviderResult.Failed("PROVIDER_UNAVAILABLE", "down"), calls);
        var finding = FakeProvider.Finding("finding", "jane@example.com", calls);
        using var host = CreateHost(["missing", "failing", "finding"], missing, failing, finding);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(["missing", "failing", "finding"], calls);
        Assert.Equal("finding", Assert.Single(result.Data.Emails).Provider);
    }

    [Fact]
    public async Task FindAsync_AllFailed_ReturnsLastError()
    {
        var first = FakeProvider.Returning("first", ProviderResult.Failed("PROVIDER_UNAUTHORIZED", "bad key"));
        var second = FakeProvider.Returning("second", ProviderResult.Failed("PROVIDER_TIMEOUT", "too slow"));
        using var host = CreateHost(["first", "second"], first, second);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Failed, result.Outcome);
        Assert.Equal("PROVIDER_TIMEOUT", result.ErrorCode);
        Assert.Equal("too slow", result.ErrorMessage);
    }

    [Fact]
    public async Task FindAsync_FailedAndNotFound_ReturnsNotFound()
    {
        var first = FakeProvider.Returning("first", ProviderResult.Failed("PROVIDER_UNAVAILABLE", "down"));
        var second = FakeProvider.Returning("second", ProviderResult.NotFound);
        using var host = CreateHost(["first", "second"], first, second);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.True(result.Data.IsEmpty);
    }

    [Fact]
    public async Task FindAsync_FoundOtherFieldOnly_ContinuesAsNotFound()
    {
        var phonesOnly = FakeProvider.Returning(
            "phones-only",
            ProviderResult.Found(new ContactData([], [new ContactPhone("+12025550143", null, "phones-only", FoundAt)])));
        var finding = FakeProvider.Finding("finding", "jane@example.com");
        using var host = CreateHost(["phones-only", "finding"], phonesOnly, finding);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal("finding", Assert.Single(result.Data.Emails).Provider);
        Assert.Empty(result.Data.Phones);
    }

    [Fact]
    public async Task FindAsync_UnsupportedField_SkipsProvider()
    {
        var emailsOnly = FakeProvider.Finding("emails-only", "jane@example.com", supports: EnrichmentField.Emails);
        var phones = FakeProvider.Returning(
            "phones",
            ProviderResult.Found(new ContactData([], [new ContactPhone("+12025550143", null, "phones", FoundAt)])));
        using var host = CreateHost(["emails-only", "phones"], emailsOnly, phones);

        var result = await Waterfall(host).FindAsync(EmailQuery with { Field = EnrichmentField.Phones }, default);

        Assert.Equal(0, emailsOnly.Calls);
        Assert.Equal("+12025550143", Assert.Single(result.Data.Phones).Number);
    }

    [Fact]
    public async Task FindAsync_NoProviderSupportsField_FailsAsConfiguration()
    {
        var emailsOnly = FakeProvider.Finding("emails-only", "jane@example.com", supports: EnrichmentField.Emails);
        using var host = CreateHost(["emails-only"], emailsOnly);

        var result = await Waterfall(host).FindAsync(EmailQuery with { Field = EnrichmentField.Phones }, default);

        Assert.Equal(ProviderErrorCodes.BadConfiguration, result.ErrorCode);
        Assert.Contains("Providers:Order:phones", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_ProviderThrows_TreatsAsFailedAndContinues()
    {
        var throwing = FakeProvider.Throwing("throwing", new InvalidOperationException("defect"));
        var finding = FakeProvider.Finding("finding", "jane@example.com");
        using var host = CreateHost(["throwing", "finding"], throwing, finding);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.Found, result.Outcome);
        var error = Assert.Single(host.Logs.WithEventId(3031));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Fact]
    public async Task FindAsync_OnlyProviderThrows_FailsAsInternalError()
    {
        var throwing = FakeProvider.Throwing("throwing", new InvalidOperationException("defect"));
        using var host = CreateHost(["throwing"], throwing);

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderErrorCodes.InternalError, result.ErrorCode);
    }

    [Fact]
    public async Task FindAsync_CallerCancels_Throws()
    {
        var cancelling = FakeProvider.Throwing("cancelling", null);
        using var host = CreateHost(["cancelling"], cancelling);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Waterfall(host).FindAsync(EmailQuery, cancellation.Token));
    }

    [Fact]
    public async Task FindAsync_DefaultOrder_UsesDirectory()
    {
        using var host = new ProviderTestHost(new Dictionary<string, string?>
        {
            ["Providers:Directory:Path"] = Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".json"),
        });

        var result = await Waterfall(host).FindAsync(EmailQuery, default);

        Assert.Equal(ProviderOutcome.NotFound, result.Outcome);
        Assert.Single(host.Logs.WithEventId(3001));
    }

    private static ProviderWaterfall Waterfall(ProviderTestHost host) => host.Services.GetRequiredService<ProviderWaterfall>();

    private static ProviderTestHost CreateHost(string[] order, params FakeProvider[] providers)
    {
        var settings = new Dictionary<string, string?>();
        for (var index = 0; index < order.Length; index++)
        {
            settings[$"Providers:Order:emails:{index}"] = order[index];
            settings[$"Providers:Order:phones:{index}"] = order[index];
        }

        return new ProviderTestHost(settings, services =>
        {
            foreach (var provider in providers)
            {
                services.AddContactProvider(provider);
            }
        });
    }

    /// <summary>A provider that returns a fixed result and counts its calls.</summary>
    private sealed class FakeProvider(
        string name,
        Func<CancellationToken, ProviderResult> answer,
        List<string>? calls,
        EnrichmentField? supports) : IContactProvider
    {
        public string Name => name;

        public int Calls { get; private set; }

        public static FakeProvider Returning(string name, ProviderResult result, List<string>? calls = null) =>
            new(name, _ => result, calls, null);

        public static FakeProvider Finding(string name, string email, List<string>? calls = null, EnrichmentField? supports = null) =>
            new(name, _ => ProviderResult.Found(new ContactData([new ContactEmail(email, name, FoundAt)], [])), calls, supports);

        /// <summary>Throws <paramref name="exception"/>, or the cancellation when it is null.</summary>
        public static FakeProvider Throwing(string name, Exception? exception) =>
            new(name, token =>
            {
                token.ThrowIfCancellationRequested();
                throw exception ?? new InvalidOperationException("The token was not cancelled.");
            }, null, null);

        public bool Supports(EnrichmentField field) => supports is null || supports == field;

        public Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken)
        {
            Calls++;
            calls?.Add(name);
            return Task.FromResult(answer(cancellationToken));
        }
    }
}
