using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ContactEnrichment.Functions.Tests.DevHost;

// Function classes that exist only for the DevHost tests. DevHost reads them through
// FunctionCatalog.FromTypes or a functions.metadata file that a test writes; the Functions
// host never loads them.

/// <summary>Counts function class instances, to show that each invocation gets a new one.</summary>
public sealed class InstanceCounter
{
    private int count;

    public int Next() => Interlocked.Increment(ref count);
}

public sealed class HttpTestFunctions(InstanceCounter counter)
{
    private readonly int instance = counter.Next();

    [Function("EchoItem")]
    public IActionResult GetItem(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{itemId}")] HttpRequest request, string itemId) =>
        new OkObjectResult(new { itemId, instance });

    [Function("RejectItem")]
    public static Task<IActionResult> RejectAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "items/{itemId}/reject")] HttpRequest request,
        string itemId,
        CancellationToken cancellationToken)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Item is locked", Detail = $"Item {itemId} is locked." };
        return Task.FromResult<IActionResult>(new ObjectResult(problem) { StatusCode = StatusCodes.Status409Conflict });
    }

    [Function("AcceptItem")]
    public static IActionResult Accept([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "items/{itemId}")] HttpRequest request) =>
        new StatusCodeResult(StatusCodes.Status202Accepted);

    [Function("Explode")]
    public static IActionResult Explode([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "explode")] HttpRequest request) =>
        throw new InvalidOperationException("This function always fails.");

    [Function("AnyMethod")]
    public static async ValueTask<IActionResult> AnyMethodAsync([HttpTrigger(AuthorizationLevel.Anonymous)] HttpRequest request)
    {
        await Task.Yield();
        return new OkObjectResult(new { method = request.Method });
    }
}

/// <summary>Records queue invocations and their concurrency, and runs each test's behaviour.</summary>
public sealed class QueueProbe
{
    private int running;
    private int maxRunning;

    /// <summary>What the function does with each message; completes at once unless a test sets it.</summary>
    public Func<string, CancellationToken, Task> Behaviour { get; set; } = (_, _) => Task.CompletedTask;

    public ConcurrentQueue<(string Body, TimeSpan At)> Invocations { get; } = new();

    public int MaxConcurrency => Volatile.Read(ref maxRunning);

    public int Running => Volatile.Read(ref running);

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public async Task RunAsync(string body, CancellationToken cancellationToken)
    {
        Invocations.Enqueue((body, Clock.Elapsed));
        var now = Interlocked.Increment(ref running);
        int seen;
        while (now > (seen = Volatile.Read(ref maxRunning)) && Interlocked.CompareExchange(ref maxRunning, now, seen) != seen)
        {
        }

        try
        {
            await Behaviour(body, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }
}

/// <summary>One gate per message body, which a test opens to let that message's invocation finish.</summary>
public sealed class MessageGates
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gates = new();
    private volatile bool allReleased;

    public Task WaitAsync(string body) => Gate(body).Task;

    public void Release(string body) => Gate(body).TrySetResult();

    /// <summary>Opens every gate, including those of messages not yet delivered.</summary>
    public void ReleaseAll()
    {
        allReleased = true;
        foreach (var gate in gates.Values)
        {
            gate.TrySetResult();
        }
    }

    private TaskCompletionSource Gate(string body)
    {
        var gate = gates.GetOrAdd(body, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (allReleased)
        {
            gate.TrySetResult();
        }

        return gate;
    }
}

public sealed class QueueTestFunction(QueueProbe probe)
{
    public const string QueueSetting = "DevHostTestQueue";

    [Function("ProbeQueue")]
    public Task RunAsync([QueueTrigger("%" + QueueSetting + "%")] string message, CancellationToken cancellationToken) =>
        probe.RunAsync(message, cancellationToken);
}

/// <summary>Records timer invocations.</summary>
public sealed class TimerProbe
{
    public ConcurrentQueue<TimerInfo> Invocations { get; } = new();
}

public sealed class TimerTestFunction(TimerProbe probe)
{
    public const string ScheduleSetting = "DevHostTestSchedule";

    [Function("ProbeTimer")]
    public void Run([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer) => probe.Invocations.Enqueue(timer);
}

public sealed class StartupTimerTestFunction(TimerProbe probe)
{
    [Function("StartupTimer")]
    public Task RunAsync([TimerTrigger("0 0 0 1 1 *", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken)
    {
        probe.Invocations.Enqueue(timer);
        return Task.CompletedTask;
    }
}

/// <summary>A signature DevHost cannot bind: an int route value.</summary>
public sealed class UnbindableFunction
{
    [Function("Unbindable")]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "numbers/{number}")] HttpRequest request, int number) =>
        new OkObjectResult(number);
}

/// <summary>A function with a queue output binding, which DevHost does not run.</summary>
public sealed class OutputBindingFunction
{
    [Function("WithOutput")]
    [QueueOutput("somewhere")]
    public static string Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest request) => "message";
}
