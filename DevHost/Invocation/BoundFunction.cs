using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using ContactEnrichment.DevHost.Catalog;

namespace ContactEnrichment.DevHost.Invocation;

/// <summary>What one invocation passes to a function's parameters.</summary>
internal sealed record InvocationContext(HttpContext? Http, string? Message, TimerInfo? Timer, CancellationToken CancellationToken);

/// <summary>
/// A function whose parameters have been matched to their sources once, at startup, so that a
/// signature DevHost cannot bind fails before the first request rather than during it.
/// </summary>
internal sealed class BoundFunction
{
    private readonly Func<InvocationContext, object?>[] arguments;
    private readonly Func<object?, Task<object?>> awaitResult;

    private BoundFunction(FunctionDescriptor descriptor, Func<InvocationContext, object?>[] arguments)
    {
        Descriptor = descriptor;
        this.arguments = arguments;
        awaitResult = CreateResultAwaiter(descriptor.Method.ReturnType);
    }

    public FunctionDescriptor Descriptor { get; }

    public string Name => Descriptor.Name;

    /// <exception cref="DevHostConfigurationException">A parameter has a type DevHost cannot bind.</exception>
    public static BoundFunction Create(FunctionDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var parameters = descriptor.Method.GetParameters();
        return new BoundFunction(descriptor, [.. parameters.Select(p => BindParameter(descriptor, p))]);
    }

    /// <summary>Creates the function's class through <paramref name="services"/>, runs it and awaits its result.</summary>
    public async Task<object?> InvokeAsync(IServiceProvider services, InvocationContext context)
    {
        var method = Descriptor.Method;
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        try
        {
            var values = arguments.Select(argument => argument(context)).ToArray();
            var returned = method.Invoke(instance, BindingFlags.DoNotWrapExceptions, binder: null, values, culture: null);
            return await awaitResult(returned);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static Func<InvocationContext, object?> BindParameter(FunctionDescriptor descriptor, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(CancellationToken))
        {
            return context => context.CancellationToken;
        }

        var isTrigger = parameter.Name == descriptor.Trigger.ParameterName;
        return (descriptor.Trigger, isTrigger) switch
        {
            (HttpTriggerBinding, true) when type == typeof(HttpRequest) => context => context.Http!.Request,
            (HttpTriggerBinding, false) when type == typeof(HttpContext) => context => context.Http,
            (HttpTriggerBinding, false) when type == typeof(string) => RouteValue(parameter.Name!),
            (QueueTriggerBinding, true) when type == typeof(string) => context => context.Message,
            (TimerTriggerBinding, true) when type == typeof(TimerInfo) => context => context.Timer,
            _ => throw Unsupported(descriptor, parameter),
        };
    }

    private static Func<InvocationContext, object?> RouteValue(string name) =>
        context => context.Http!.Request.RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;

    private static DevHostConfigurationException Unsupported(FunctionDescriptor descriptor, ParameterInfo parameter) =>
        new($"Function '{descriptor.Name}': DevHost cannot bind parameter '{parameter.Name}' of type {parameter.ParameterType.Name}. " +
            "It binds an HttpRequest trigger with route values as string parameters and HttpContext, a queue message as string, " +
            "TimerInfo, and CancellationToken.");

    private static Func<object?, Task<object?>> CreateResultAwaiter(Type returnType)
    {
        if (returnType == typeof(void))
        {
            return _ => Task.FromResult<object?>(null);
        }

        if (returnType == typeof(Task))
        {
            return async returned =>
            {
                await RequireTask(returned);
                return null;
            };
        }

        if (returnType == typeof(ValueTask))
        {
            return async returned =>
            {
                await (ValueTask)returned!;
                return null;
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            // Read Result through the declared Task<T>: an async method's runtime task type differs.
            var result = returnType.GetProperty(nameof(Task<object>.Result))!;
            return async returned =>
            {
                var task = RequireTask(returned);
                await task;
                return result.GetValue(task);
            };
        }

        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = returnType.GetMethod(nameof(ValueTask<object>.AsTask))!;
            var result = typeof(Task<>).MakeGenericType(returnType.GetGenericArguments()[0]).GetProperty(nameof(Task<object>.Result))!;
            return async returned =>
            {
                var task = (Task)asTask.Invoke(returned, null)!;
                await task;
                return result.GetValue(task);
            };
        }

        return Task.FromResult;
    }

    private static Task RequireTask(object? returned) =>
        returned as Task ?? throw new InvalidOperationException("The function returned a null Task.");
}
