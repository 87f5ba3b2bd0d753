using System.Net;
using Azure.Core.Pipeline;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Enrichment;
using ContactEnrichment.Functions.Tests.Infrastructure;
using ContactEnrichment.Functions.Tests.Reliability;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>
/// Batch requests against Cosmos DB faults injected below the app: brief faults are retried, a
/// repeat of an applied write changes nothing twice, and lasting faults return 503.
/// </summary>
[Collection(LocalStackDefinition.Name)]
public sealed class TransientStorageFaultTests(LocalStackFixture stack)
{
    private const int Price = 10;

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Batch_BriefFaults_Returns200(HttpStatusCode status)
    {
        var faults = new ScriptedCosmosFaults();
        var messages = new SentMessageRecorder();
        await using var app = await StartAsync(faults, messages);
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(3, 100);
        faults.FailBefore(request => request.IsQuery && request.Container == StorageLayout.Persons, 2, status);
        faults.FailBefore(request => request.IsQuery && request.Container == StorageLayout.Enrichments, 2, status);
        faults.FailBefore(request => request.IsPatch(StorageLayout.Credits, CreditAccountDocument.IdFor(context.OrgId)), 2, status);
        faults.FailBefore(request => request.IsCreate && request.Container == StorageLayout.Enrichments, 3, status);

        using var response = await context.StartBatchAsync(ids);
        var body = await response.Content.ReadAsStringAsync();
        faults.Clear();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(9, faults.Injected);
        var records = await RecordsAsync(context);
        Assert.Equal(ids.Order(), records.Select(record => record.EntityId).Order());
        Assert.All(records, record => Assert.Equal(EnrichmentStatus.Pending, record.Status));
        Assert.Equal(records.Select(record => record.Id).Order(), messages.SentFor(context.OrgId).Order());
        await AssertReservedOnceAsync(context, 3 * Price);
    }

    [Fact]
    public async Task Batch_ReservationResponseLost_ReservesOnce()
    {
        var faults = new ScriptedCosmosFaults();
        var messages = new SentMessageRecorder();
        await using var app = await StartAsync(faults, messages);
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(3, 100);
        faults.FailAfterApplying(request => request.IsPatch(StorageLayout.Credits, CreditAccountDocument.IdFor(context.OrgId)), 1);

        using var response = await context.StartBatchAsync(ids);
        var body = await response.Content.ReadAsStringAsync();
        faults.Clear();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal([HttpStatusCode.OK], faults.AppliedStatuses);
        var records = await RecordsAsync(context);
        Assert.Equal(3, records.Count);
        Assert.Equal(records.Select(record => record.Id).Order(), messages.SentFor(context.OrgId).Order());
        await AssertReservedOnceAsync(context, 3 * Price);
    }

    [Fact]
    public async Task Batch_RecordCreateResponseLost_OneRecordPerPerson()
    {
        var faults = new ScriptedCosmosFaults();
        var messages = new SentMessageRecorder();
        await using var app = await StartAsync(faults, messages);
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(3, 100);
        faults.FailAfterApplying(request => request.IsCreate && request.Container == StorageLayout.Enrichments, 3);

        using var response = await context.StartBatchAsync(ids);
        var returned = await ApiTestContext.ReadJsonAsync(response);
        faults.Clear();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created], faults.AppliedStatuses);
        var records = await RecordsAsync(context);
        Assert.Equal(ids.Order(), records.Select(record => record.EntityId).Order());
        Assert.All(records, record => Assert.Equal(EnrichmentDocument.LatestKey(EnrichmentField.Phones, record.EntityId), record.ActiveKey));
        Assert.Equal(
            records.Select(record => record.Id).Order(),
            returned.EnumerateArray().Select(record => record.GetProperty("id").GetString()!).Order());
        Assert.Equal(records.Select(record => record.Id).Order(), messages.SentFor(context.OrgId).Order());
        await AssertReservedOnceAsync(context, 3 * Price);
    }

    [Fact]
    public async Task Batch_RetireResponseLost_ReplacesPreviousRecord()
    {
        var faults = new ScriptedCosmosFaults();
        var messages = new SentMessageRecorder();
        await using var app = await StartAsync(faults, messages);
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, 100);
        var previous = await CreateFailedRecordAsync(context, ids[0]);
        faults.FailAfterApplying(request => request.IsPatch(StorageLayout.Enrichments, previous.Id), 1);

        using var response = await context.StartBatchAsync(ids);
        var body = await response.Content.ReadAsStringAsync();
        faults.Clear();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal([HttpStatusCode.OK], faults.AppliedStatuses);
        var records = await RecordsAsync(context);
        var retired = Assert.Single(records, record => record.Id == previous.Id);
        var latest = Assert.Single(records, record => record.ActiveKey == EnrichmentDocument.LatestKey(EnrichmentField.Phones, ids[0]));
        Assert.Equal($"{previous.ActiveKey}:{previous.Id}", retired.ActiveKey);
        Assert.Equal(EnrichmentStatus.Pending, latest.Status);
        Assert.Equal([latest.Id], messages.SentFor(context.OrgId));
        await AssertReservedOnceAsync(context, Price);
    }

    [Fact]
    public async Task Batch_ReservationAlwaysFails_Returns503()
    {
        var faults = new ScriptedCosmosFaults();
        var messages = new SentMessageRecorder();
        await using var app = await StartAsync(faults, messages);
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(2, 100);
        faults.FailBefore(
            request => request.IsPatch(StorageLayout.Credits, CreditAccountDocument.IdFor(context.OrgId)),
            int.MaxValue, HttpStatusCode.ServiceUnavailable, TimeSpan.FromMilliseconds(1_200));

        using var response = await context.StartBatchAsync(ids);
        var problem = await ApiTestContext.ReadJsonAsync(response);
        var injected = faults.Injected;
        faults.Clear();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["2"], response.Headers.GetValues("Retry-After"));
        Assert.Equal("DEPENDENCY_UNAVAILABLE", problem.GetProperty("code").GetString());
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Contains("Repeating it is safe", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1 + context.Service<TransientStorageRetry>().MaxRetries, injected);
        Assert.Empty(await RecordsAsync(context));
        Assert.Empty(messages.SentFor(context.OrgId));
        var balance = await context.BalanceAsync();
        Assert.Equal(0, balance.Reserved);
        Assert.Equal(100, balance.Available);
    }

    [Fact]
    public async Task Batch_RecordCreateAlwaysFails_503ThenSweepReleases()
    {
        var faults = new ScriptedCosmosFaults();
        var messages = new SentMessageRecorder();
        await using var app = await StartAsync(faults, messages, ReliabilityRun.FastSweeps(TimeSpan.FromSeconds(10)));
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(2, 100);
        faults.FailBefore(request => request.IsCreate && request.Container == StorageLayout.Enrichments, int.MaxValue, HttpStatusCode.TooManyRequests);

        using var response = await context.StartBatchAsync(ids);
        var problem = await ApiTestContext.ReadJsonAsync(response);
        faults.Clear();
        var reservedAfterRequest = (await context.BalanceAsync()).Reserved;
        await ReliabilityRun.WaitUntilSettledAsync(app.Services, context.OrgId, TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(["1"], response.Headers.GetValues("Retry-After"));
        Assert.Equal("DEPENDENCY_UNAVAILABLE", problem.GetProperty("code").GetString());
        Assert.Equal(2 * Price, reservedAfterRequest);
        Assert.Empty(messages.SentFor(context.OrgId));
        var state = await InvariantChecker.ReadAsync(app.Services, context.OrgId);
        var violations = InvariantChecker.Violations(
            state, context.Service<IOptions<EnrichmentOptions>>().Value.FreshnessWindow, context.Service<TimeProvider>().GetUtcNow());
        Assert.Empty(violations);
        Assert.Empty(state.Records);
        Assert.Equal(100, state.Account!.Balance);
        Assert.Equal(100, state.Account.Available);
    }

    private Task<RunningApp> StartAsync(
        ScriptedCosmosFaults faults, SentMessageRecorder messages, Dictionary<string, string?>? settings = null) =>
        stack.StartAppAsync(new AppStartOptions
        {
            EnableTimers = settings is not null,
            Settings = settings ?? new Dictionary<string, string?>(),
            ConfigureServices = services =>
            {
                services.AddSingleton<RequestHandler>(faults);
                services.AddSingleton<HttpPipelinePolicy>(messages);
            },
        });

    private static async Task<IReadOnlyList<EnrichmentDocument>> RecordsAsync(ApiTestContext context)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.orgId = @orgId").WithParameter("@orgId", context.OrgId);
        return await context.Service<CosmosStore>().Enrichments.QueryAllAsync<EnrichmentDocument>(query, context.OrgId, CancellationToken.None);
    }

    private static async Task AssertReservedOnceAsync(ApiTestContext context, long expected)
    {
        var account = await context.Service<CreditService>().TryReadAccountAsync(context.OrgId, CancellationToken.None);
        Assert.NotNull(account);
        Assert.Equal(expected, account.Reserved);
        Assert.Equal(100 - expected, account.Available);
        var hold = Assert.Single(account.Holds);
        Assert.Equal(expected, hold.Value.Items.Values.Sum());
    }

    private static async Task<EnrichmentDocument> CreateFailedRecordAsync(ApiTestContext context, string personId)
    {
        var now = context.Service<TimeProvider>().GetUtcNow().AddHours(-1);
        var document = new EnrichmentDocument
        {
            Id = Guid.NewGuid().ToString(),
            OrgId = context.OrgId,
            CreatedAt = now,
            UpdatedAt = now,
            EntityId = personId,
            Field = EnrichmentField.Phones,
            Status = EnrichmentStatus.Failed,
            CreatedBy = context.UserId,
            ActiveKey = EnrichmentDocument.LatestKey(EnrichmentField.Phones, personId),
            ReservationId = Guid.NewGuid().ToString(),
            Price = Price,
        };
        var created = await context.Service<EnrichmentRepository>().TryCreateAsync(document, CancellationToken.None);
        Assert.NotNull(created);
        return created;
    }
}
