using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.DevHost.Catalog;
using ContactEnrichment.DevHost.Configuration;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.DevHost;

[Collection(LocalStackDefinition.Name)]
public sealed class QueueTriggerTests(LocalStackFixture stack)
{
    private static readonly QueueHostSettings FastQueues = QueueHostSettings.Default with
    {
        BatchSize = 4,
        NewBatchThreshold = 0,
        MaxDequeueCount = 3,
        VisibilityTimeout = TimeSpan.Zero,
        MaxPollingInterval = TimeSpan.FromMilliseconds(200),
    };

    private readonly QueueProbe probe = new();
    private readonly string queueName = "devhost-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Message_Base64_ArrivesDecoded()
    {
        await using var app = await StartAsync(FastQueues);
        const string body = "{\"enrichmentId\":\"e-1\",\"name\":\"Zoë Ångström\"}";

        await SendEncodedAsync(body);
        await Eventually.WaitUntilAsync(() => !probe.Invocations.IsEmpty);

        Assert.Equal(body, Assert.Single(probe.Invocations).Body);
        await Eventually.WaitUntilAsync(async () => await CountAsync(queueName) == 0);
    }

    [Fact]
    public async Task Message_NotBase64_MovesToPoisonWithoutInvocation()
    {
        await using var app = await StartAsync(FastQueues);

        await RawQueue(queueName).SendMessageAsync("this is * not base64");
        await Eventually.WaitUntilAsync(async () => await CountAsync(queueName + "-poison") == 1);

        Assert.Empty(probe.Invocations);
        var poisoned = await RawQueue(queueName + "-poison").ReceiveMessageAsync();
        Assert.Equal("this is * not base64", poisoned.Value.MessageText);
        Assert.Equal(0, await CountAsync(queueName));
    }

    [Fact]
    public async Task FailingFunction_MovesMessageToPoison()
    {
        probe.Behaviour = (_, _) => throw new InvalidOperationException("Processing failed.");
        await using var app = await StartAsync(FastQueues);

        await SendEncodedAsync("doomed");
        await Eventually.WaitUntilAsync(async () => await CountAsync(queueName + "-poison") == 1);

        Assert.Equal(FastQueues.MaxDequeueCount, probe.Invocations.Count);
        Assert.All(probe.Invocations, invocation => Assert.Equal("doomed", invocation.Body));
        var poisoned = await EncodedQueue(queueName + "-poison").ReceiveMessageAsync();
        Assert.Equal("doomed", poisoned.Value.MessageText);
        Assert.Equal(0, await CountAsync(queueName));
    }

    [Fact]
    public async Task FailedMessage_RetriedAfterVisibilityTimeout()
    {
        var visibilityTimeout = TimeSpan.FromSeconds(2);
        var attempts = 0;
        probe.Behaviour = (_, _) => Interlocked.Increment(ref attempts) == 1
            ? throw new InvalidOperationException("First attempt fails.")
            : Task.CompletedTask;
        await using var app = await StartAsync(FastQueues with { VisibilityTimeout = visibilityTimeout });

        await SendEncodedAsync("retry-me");
        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 2);

        var times = probe.Invocations.Select(i => i.At).ToArray();
        Assert.True(times[1] - times[0] >= visibilityTimeout - TimeSpan.FromMilliseconds(250),
            $"The retry came {(times[1] - times[0]).TotalMilliseconds} ms after the failure; expected at least the 2 s visibility timeout.");
        await Eventually.WaitUntilAsync(async () => await CountAsync(queueName) == 0);
        Assert.Equal(0, await CountAsync(queueName + "-poison"));
    }

    [Fact]
    public async Task Batch_WithThresholdZero_WaitsForWholeBatch()
    {
        var gates = new MessageGates();
        probe.Behaviour = (body, cancellationToken) => gates.WaitAsync(body).WaitAsync(cancellationToken);
        await using var app = await StartAsync(FastQueues with { BatchSize = 3, NewBatchThreshold = 0 });

        foreach (var body in new[] { "a", "b", "c", "d" })
        {
            await SendEncodedAsync(body);
        }

        await Eventually.WaitUntilAsync(() => probe.Running == 3);
        await AssertStaysAsync(running: 3, invocations: 3);

        // One message of the batch finished, but threshold 0 waits for all three.
        gates.Release(probe.Invocations.First().Body);
        await AssertStaysAsync(running: 2, invocations: 3);

        foreach (var (body, _) in probe.Invocations)
        {
            gates.Release(body);
        }

        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 4);
        gates.ReleaseAll();
        Assert.Equal(3, probe.MaxConcurrency);
    }

    [Fact]
    public async Task Batch_WithThreshold_OverlapsNextBatch()
    {
        // Batch size 2, threshold 1: a new batch is taken once at most one message runs, so
        // three can run at once and never more.
        var gates = new MessageGates();
        probe.Behaviour = (body, cancellationToken) => gates.WaitAsync(body).WaitAsync(cancellationToken);
        await using var app = await StartAsync(FastQueues with { BatchSize = 2, NewBatchThreshold = 1 });

        await SendEncodedAsync("first");
        await SendEncodedAsync("second");
        await Eventually.WaitUntilAsync(() => probe.Running == 2);
        await SendEncodedAsync("third");
        await SendEncodedAsync("fourth");
        await SendEncodedAsync("fifth");
        await AssertStaysAsync(running: 2, invocations: 2);

        gates.Release("first");
        await Eventually.WaitUntilAsync(() => probe.Running == 3);
        await AssertStaysAsync(running: 3, invocations: 4);

        gates.ReleaseAll();
        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 5);
        Assert.Equal(3, probe.MaxConcurrency);
    }

    [Fact]
    public async Task LongFunction_LeaseRenewed_NoRedelivery()
    {
        // Renewal runs every half lease (1.5 s). Without it the message would reappear at 3 s
        // and be delivered again, because the threshold keeps the listener polling.
        probe.Behaviour = (_, cancellationToken) => Task.Delay(TimeSpan.FromSeconds(7), cancellationToken);
        await using var app = await StartAsync(FastQueues with { MessageLease = TimeSpan.FromSeconds(3), NewBatchThreshold = 4 });

        await SendEncodedAsync("slow");
        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 1);
        await Eventually.WaitUntilAsync(async () => await CountAsync(queueName) == 0);

        Assert.Single(probe.Invocations);
        Assert.Equal(0, await CountAsync(queueName + "-poison"));
    }

    private async Task<RunningApp> StartAsync(QueueHostSettings queues)
    {
        await RawQueue(queueName).CreateIfNotExistsAsync();
        return await stack.StartAppAsync(new AppStartOptions
        {
            Functions = FunctionCatalog.FromTypes(typeof(QueueTestFunction)),
            HostSettings = HostSettings.Default with { Queues = queues },
            Settings = new Dictionary<string, string?> { [QueueTestFunction.QueueSetting] = queueName },
            ConfigureServices = services => services.AddSingleton(probe),
            EnableQueueListeners = true,
            InitializeStorage = false,
        });
    }

    /// <summary>
    /// Checks that the listener keeps <paramref name="running"/> messages in flight and takes no
    /// new one for a second, several polling intervals of <see cref="FastQueues"/>.
    /// </summary>
    private async Task AssertStaysAsync(int running, int invocations)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(running, probe.Running);
        Assert.Equal(invocations, probe.Invocations.Count);
    }

    private async Task SendEncodedAsync(string body) => await EncodedQueue(queueName).SendMessageAsync(body);

    private QueueClient RawQueue(string name) => new(stack.StorageConnectionString, name);

    private QueueClient EncodedQueue(string name) =>
        new(stack.StorageConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Counts visible and invisible messages; 0 when the queue does not exist.</summary>
    private async Task<int> CountAsync(string name)
    {
        var queue = RawQueue(name);
        if (!await queue.ExistsAsync())
        {
            return 0;
        }

        return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }
}
