using System.Text;
using Azure.Storage.Queues;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.DevHost.Configuration;
using ContactEnrichment.Functions.Processing;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>
/// Messages that cannot be processed, through the real queue listeners: they end in the poison
/// queue, and a record they name ends failed with its reservation returned.
/// </summary>
[Collection(LocalStackDefinition.Name)]
public sealed class PoisonMessageTests(LocalStackFixture stack)
{
    private const long Granted = 100;
    private const string PoisonPoisonQueue = StorageLayout.PoisonQueue + "-poison";

    // host.json's limits with no waiting: five deliveries, retried at once, polled often.
    private static readonly HostSettings FastQueues = HostSettings.Default with
    {
        Queues = QueueHostSettings.Default with
        {
            BatchSize = 16,
            NewBatchThreshold = 8,
            MaxDequeueCount = 5,
            VisibilityTimeout = TimeSpan.Zero,
            MaxPollingInterval = TimeSpan.FromMilliseconds(200),
        },
    };

    public static TheoryData<string, string> UnreadableMessages() => new()
    {
        { "not Base64", "this is * not base64" },
        { "Base64 of text that is not JSON", Convert.ToBase64String(Encoding.UTF8.GetBytes("{enrichmentId: oops")) },
        { "Base64 of JSON without ids", Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"enrichmentId\":\"\",\"orgId\":null}")) },
    };

    [Theory]
    [MemberData(nameof(UnreadableMessages))]
    public async Task RequestQueue_UnreadableMessage_EndsInPoisonQueueUnchanged(string kind, string text)
    {
        await stack.ClearQueuesAsync();
        var all = FunctionCatalog.FromTypes(typeof(ProcessingFunctions));
        var requestTriggerOnly = new FunctionCatalog(all.Functions.Where(function => function.Name == "ProcessEnrichment").ToList(), all.Directory);
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            EnableQueueListeners = true,
            HostSettings = FastQueues,
            Functions = requestTriggerOnly,
        });

        await Queue(StorageLayout.RequestQueue).SendMessageAsync(text);
        await Eventually.WaitUntilAsync(async () => (await PeekAsync(StorageLayout.PoisonQueue)).Contains(text));

        Assert.True(await CountAsync(StorageLayout.RequestQueue) == 0, kind);
        Assert.Equal([text], await PeekAsync(StorageLayout.PoisonQueue));
    }

    [Fact]
    public async Task PoisonQueue_UnreadableMessage_MovesOnForAnOperator()
    {
        await stack.ClearQueuesAsync();
        await using var app = await stack.StartAppAsync(new AppStartOptions { EnableQueueListeners = true, HostSettings = FastQueues });
        var text = Convert.ToBase64String(Encoding.UTF8.GetBytes("not json"));

        await Queue(StorageLayout.RequestQueue).SendMessageAsync(text);
        await Eventually.WaitUntilAsync(async () => (await PeekAsync(PoisonPoisonQueue)).Contains(text));

        Assert.Equal(0, await CountAsync(StorageLayout.RequestQueue));
        Assert.Equal(0, await CountAsync(StorageLayout.PoisonQueue));
    }

    [Fact]
    public async Task Poison_NamedRecord_FailsAndReleases()
    {
        await stack.ClearQueuesAsync();
        var crashes = new CosmosCrashHandler();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions
        {
            Crashes = crashes,
            EnableQueueListeners = true,
            HostSettings = FastQueues,
        });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync(TestNames.UniqueFullName());

        // Every read of the person fails, so every delivery throws until the message is poisoned.
        crashes.FailAlways(request => request.Method == "GET" && request.Container == StorageLayout.Persons && request.DocumentId == personId);
        var started = await context.StartAsync(personId, EnrichmentField.Phones);
        await Eventually.WaitUntilAsync(async () => (await context.RecordAsync(started.Id)).Status != EnrichmentStatus.Pending);

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Failed, record.Status);
        Assert.Equal(EnrichmentErrors.ProcessingFailedCode, record.Error?.Code);
        Assert.Null(record.DataFound);
        Assert.Null(record.CreditTransactionId);
        Assert.Equal(5, crashes.Crashes);
        await context.AssertSettledAsync(Granted);
        await Eventually.WaitUntilAsync(async () => await CountAsync(StorageLayout.PoisonQueue) == 0);
    }

    [Fact]
    public async Task ValidMessage_ThroughTheQueueListener_Finishes()
    {
        await stack.ClearQueuesAsync();
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { EnableQueueListeners = true, HostSettings = FastQueues });
        var context = new ProcessingTestContext(app);
        await context.RegisterAsync(Granted);
        var personId = await context.AddPersonAsync("Jane Doe");

        var started = await context.StartAsync(personId, EnrichmentField.Emails);
        await Eventually.WaitUntilAsync(async () => (await context.RecordAsync(started.Id)).Status != EnrichmentStatus.Pending);

        var record = await context.RecordAsync(started.Id);
        Assert.Equal(EnrichmentStatus.Finished, record.Status);
        Assert.True(record.DataFound);
        Assert.Equal(["jane.doe@example.com"], (await context.PersonAsync(personId)).Emails.Select(email => email.Address));
        await context.AssertSettledAsync(Granted, (started.Id, 1));
    }

    private QueueClient Queue(string name) => new(stack.StorageConnectionString, name);

    private async Task<List<string>> PeekAsync(string name) =>
        (await Queue(name).PeekMessagesAsync(32)).Value.Select(message => message.MessageText).ToList();

    private async Task<int> CountAsync(string name) => (await Queue(name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
}
