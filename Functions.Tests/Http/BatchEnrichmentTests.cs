using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

[Collection(LocalStackDefinition.Name)]
public sealed class BatchEnrichmentTests(LocalStackFixture stack) : IAsyncLifetime
{
    private static readonly string[] RecordFields =
    [
        "id", "createdAt", "updatedAt", "entityId", "entityType", "field", "status", "error", "dataFound",
        "createdBy", "orgId", "globalEnrichmentId", "creditTransactionId",
    ];

    private RunningApp app = null!;

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Batch_NewPersons_PendingInRequestOrder()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(3, 100);
        ids.Reverse();

        using var response = await context.StartBatchAsync(ids);
        var records = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ids, records.EnumerateArray().Select(record => record.GetProperty("entityId").GetString()));
        foreach (var record in records.EnumerateArray())
        {
            Assert.Equal(RecordFields, record.EnumerateObject().Select(property => property.Name));
            Assert.Equal("pending", record.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, record.GetProperty("dataFound").ValueKind);
            Assert.Equal("person", record.GetProperty("entityType").GetString());
            Assert.Equal(context.UserId, record.GetProperty("createdBy").GetString());
            Assert.Equal(context.OrgId, record.GetProperty("orgId").GetString());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", record.GetProperty("createdAt").GetString());
        }

        var balance = await context.BalanceAsync();
        Assert.Equal(30, balance.Reserved);
        Assert.Equal(70, balance.Available);
    }

    [Fact]
    public async Task Batch_ShortOfCredits_Returns402AndWritesNothing()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(3, 25);

        using var response = await context.StartBatchAsync(ids);
        var problem = await ApiTestContext.ReadJsonAsync(response);
        var latest = await context.Service<EnrichmentRepository>().FindLatestAsync(
            context.OrgId, EnrichmentField.Phones, ids, CancellationToken.None);

        Assert.True((HttpStatusCode)402 == response.StatusCode, $"{problem} / {await context.BalanceAsync()}");
        Assert.Equal("INSUFFICIENT_CREDITS", problem.GetProperty("code").GetString());
        Assert.Contains("30", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("25", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(latest);
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);
    }

    [Theory]
    [InlineData(EnrichmentStatus.Pending, 0, true)]
    [InlineData(EnrichmentStatus.Finished, 10, true)]
    [InlineData(EnrichmentStatus.Finished, 100, false)]
    [InlineData(EnrichmentStatus.Failed, 0, false)]
    [InlineData(EnrichmentStatus.Timeout, 0, false)]
    [InlineData(EnrichmentStatus.Cancelled, 0, false)]
    public async Task Batch_ExistingRecord_IsReusedOnlyWhenActive(EnrichmentStatus status, int ageDays, bool reused)
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(1, 100);
        var existing = await WriteRecordAsync(context, ids[0], status, TimeSpan.FromDays(ageDays));

        using var response = await context.StartBatchAsync(ids);
        var record = (await ApiTestContext.ReadJsonAsync(response))[0];
        var balance = await context.BalanceAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reused, record.GetProperty("id").GetString() == existing.Id);
        Assert.Equal(reused ? 0 : 10, balance.Reserved);
        if (!reused)
        {
            var old = await context.Service<EnrichmentRepository>().FindAsync(context.OrgId, existing.Id, CancellationToken.None);
            Assert.False(old!.IsLatest);
            Assert.Equal("pending", record.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Batch_TwentyRacingRequests_OneRecordPerPerson()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(100, 100_000);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => context.StartBatchAsync(ids)));
        var recordIds = new HashSet<string>();
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var record in (await ApiTestContext.ReadJsonAsync(response)).EnumerateArray())
            {
                recordIds.Add(record.GetProperty("id").GetString()!);
            }

            response.Dispose();
        }

        var stored = await CountRecordsAsync(context.OrgId);
        var balance = await context.BalanceAsync();
        var account = await context.Service<Core.Credits.CreditService>().TryReadAccountAsync(context.OrgId, CancellationToken.None);

        Assert.Equal(100, recordIds.Count);
        Assert.Equal(100, stored);
        Assert.Equal(100 * 10, balance.Reserved);
        Assert.Equal(100_000 - 1000, balance.Available);
        Assert.Equal(100, account!.Holds.Values.Sum(hold => hold.Items.Count));
    }

    [Fact]
    public async Task Batch_RacingShortOfCredits_NeverOverspends()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(100, 255);

        var batches = Enumerable.Range(0, 10).Select(index => ids.Skip(index * 10).Take(10).ToList()).ToList();
        var responses = await Task.WhenAll(batches.Select(batch => context.StartBatchAsync(batch)));
        var succeeded = responses.Count(response => response.StatusCode == HttpStatusCode.OK);
        var rejected = responses.Count(response => (int)response.StatusCode == 402);
        var balance = await context.BalanceAsync();

        Assert.Equal(10, succeeded + rejected);
        Assert.Equal(2, succeeded);
        Assert.Equal(200, balance.Reserved);
        Assert.Equal(55, balance.Available);
        Assert.Equal(succeeded * 10, await CountRecordsAsync(context.OrgId));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Batch_QueueMessages_DecodeToExistingRecords()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(5, 100);
        using var response = await context.StartBatchAsync(ids, "emails");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var queue = new QueueClient(stack.StorageConnectionString, StorageLayout.RequestQueue,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var mine = new List<EnrichmentMessage>();
        var peeked = await queue.PeekMessagesAsync(32);
        while (mine.Count < 5)
        {
            var messages = await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5));
            if (messages.Value.Length == 0)
            {
                break;
            }

            foreach (var message in messages.Value)
            {
                var parsed = EnrichmentMessage.TryParse(message.Body.ToString());
                Assert.NotNull(parsed);
                var record = await context.Service<EnrichmentRepository>().FindAsync(parsed.OrgId, parsed.EnrichmentId, CancellationToken.None);
                Assert.NotNull(record);
                if (parsed.OrgId == context.OrgId)
                {
                    mine.Add(parsed);
                }
            }
        }

        Assert.NotEmpty(peeked.Value);
        Assert.Equal(5, mine.Count);
    }

    [Fact]
    public async Task Batch_DryRun_WritesAndReservesNothing()
    {
        var context = new ApiTestContext(stack, app);
        var ids = await context.SeedPersonsAsync(2, 15);

        using var response = await context.PostAsync("api/v1/operations/enrichment/batch",
            JsonSerializer.Serialize(new { personIds = ids, field = "phones", dryRun = true }));
        var plan = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, plan.GetProperty("createdCount").GetInt32());
        Assert.Equal(20, plan.GetProperty("price").GetInt64());
        Assert.False(plan.GetProperty("sufficient").GetBoolean());
        Assert.Equal(0, await CountRecordsAsync(context.OrgId));
        Assert.Equal(0, (await context.BalanceAsync()).Reserved);
    }

    private static async Task<EnrichmentDocument> WriteRecordAsync(
        ApiTestContext context, string personId, EnrichmentStatus status, TimeSpan age)
    {
        var at = context.Service<TimeProvider>().GetUtcNow() - age;
        var document = new EnrichmentDocument
        {
            Id = Guid.NewGuid().ToString(),
            OrgId = context.OrgId,
            CreatedAt = at,
            UpdatedAt = at,
            EntityId = personId,
            Field = EnrichmentField.Phones,
            Status = status,
            DataFound = status == EnrichmentStatus.Finished ? true : null,
            CreatedBy = context.UserId,
            ActiveKey = EnrichmentDocument.LatestKey(EnrichmentField.Phones, personId),
            ReservationId = "none",
            Price = 10,
        };
        return (await context.Service<EnrichmentRepository>().TryCreateAsync(document, CancellationToken.None))!;
    }

    private async Task<int> CountRecordsAsync(string orgId)
    {
        var store = app.Services.GetService(typeof(CosmosStore)) as CosmosStore;
        var query = new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.orgId = @orgId").WithParameter("@orgId", orgId);
        return (await store!.Enrichments.QueryAllAsync<string>(query, orgId, CancellationToken.None)).Count;
    }
}
