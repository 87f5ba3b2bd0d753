using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace ContactEnrichment.DevHost.Invocation;

/// <summary>
/// Runs one invocation of a function in its own DI scope and logs its name, status and
/// duration. A failure is logged and reported to the trigger as a 500 or as false, not thrown.
/// </summary>
internal sealed class FunctionInvoker(IServiceProvider services, ILogger<FunctionInvoker> logger)
{
    /// <summary>Runs an HTTP function and writes its result to the response; a failure becomes a 500 without a body.</summary>
    public async Task InvokeHttpAsync(BoundFunction function, HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await function.InvokeAsync(context.RequestServices, new InvocationContext(context, null, null, context.RequestAborted));
            await WriteResultAsync(context, result);
            Log.HttpFunctionExecuted(logger, function.Name, context.Request.Method, context.Response.StatusCode, ElapsedMilliseconds(started));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.HttpFunctionAborted(logger, function.Name, ElapsedMilliseconds(started));
        }
#pragma warning disable CA1031 // The Functions host turns any function failure into a 500; so does DevHost.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.FunctionFailed(logger, exception, function.Name, "http", ElapsedMilliseconds(started));
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
    }

    /// <summary>Runs a queue function with the decoded message body; returns false when it threw.</summary>
    public Task<bool> InvokeQueueAsync(BoundFunction function, string message, CancellationToken cancellationToken) =>
        InvokeInScopeAsync(function, "queue", new InvocationContext(null, message, null, cancellationToken));

    /// <summary>Runs a timer function; returns false when it threw.</summary>
    public Task<bool> InvokeTimerAsync(BoundFunction function, TimerInfo timer, CancellationToken cancellationToken) =>
        InvokeInScopeAsync(function, "timer", new InvocationContext(null, null, timer, cancellationToken));

    private async Task<bool> InvokeInScopeAsync(BoundFunction function, string trigger, InvocationContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var scope = services.CreateAsyncScope();
            await function.InvokeAsync(scope.ServiceProvider, context);
            Log.FunctionSucceeded(logger, function.Name, trigger, ElapsedMilliseconds(started));
            return true;
        }
#pragma warning disable CA1031 // A failed invocation is retried or poisoned by the trigger, as the Functions host does.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.FunctionFailed(logger, exception, function.Name, trigger, ElapsedMilliseconds(started));
            return false;
        }
    }

    private static Task WriteResultAsync(HttpContext context, object? result)
    {
        var actionContext = new ActionContext(context, context.GetRouteData(), new ActionDescriptor());
        return result switch
        {
            IActionResult actionResult => actionResult.ExecuteResultAsync(actionContext),
            IResult httpResult => httpResult.ExecuteAsync(context),
            null => Task.CompletedTask,
            _ => new OkObjectResult(result).ExecuteResultAsync(actionContext),
        };
    }

    private static long ElapsedMilliseconds(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
