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
    public async Task Function_AlwaysThrowing_MovesToPoisonAfterMaxDequeueCount()
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
    public async Task Function_ThrowingOnce_IsRetriedAfterVisibilityTimeout()
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
    public async Task Batch_WithThresholdZero_RunsAtMostBatchSizeAtOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = (_, _) => release.Task;
        await using var app = await StartAsync(FastQueues with { BatchSize = 3, NewBatchThreshold = 0 });

        for (var i = 0; i < 7; i++)
        {
            await SendEncodedAsync($"message-{i}");
        }

        await Eventually.WaitUntilAsync(() => probe.Running == 3);

        // Give the listener several polling intervals in which it must not take a fourth message.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, probe.Running);
        release.SetResult();
        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 7);
        Assert.Equal(3, probe.MaxConcurrency);
    }

    [Fact]
    public async Task Batch_WithThreshold_FetchesNextBatchWhileOthersRun()
    {
        // Batch size 2, threshold 1: after one of two messages finishes, the next batch of two
        // is taken while the other still runs, so three run at once and never more.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Behaviour = (body, _) => body == "quick" ? Task.CompletedTask : release.Task;
        await using var app = await StartAsync(FastQueues with { BatchSize = 2, NewBatchThreshold = 1 });

        await SendEncodedAsync("hold-1");
        await SendEncodedAsync("quick");
        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 2);
        await SendEncodedAsync("hold-2");
        await SendEncodedAsync("hold-3");
        await SendEncodedAsync("hold-4");
        await Eventually.WaitUntilAsync(() => probe.Running == 3);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, probe.Running);
        release.SetResult();
        await Eventually.WaitUntilAsync(() => probe.Invocations.Count == 5);
        Assert.Equal(3, probe.MaxConcurrency);
    }

    [Fact]
    public async Task Function_RunningLongerThanLease_IsNotDeliveredTwice()
    {
        // Renewal runs every half lease (1.5 s), so the message would reappear at 3 s without it.
        probe.Behaviour = (_, cancellationToken) => Task.Delay(TimeSpan.FromSeconds(7), cancellationToken);
        await using var app = await StartAsync(FastQueues with { MessageLease = TimeSpan.FromSeconds(3) });

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
