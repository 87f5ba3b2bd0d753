using System.Reflection;

namespace ContactEnrichment.DevHost.Catalog;

/// <summary>One function of the app: its name, the method that runs it and its trigger.</summary>
public sealed record FunctionDescriptor(string Name, MethodInfo Method, TriggerBinding Trigger)
{
    public override string ToString() => $"{Name} ({Method.DeclaringType?.FullName}.{Method.Name}): {Trigger}";
}

/// <summary>The trigger of a function, bound to the method parameter named <see cref="ParameterName"/>.</summary>
public abstract record TriggerBinding(string ParameterName);

/// <summary>
/// An HTTP trigger. A null <see cref="Route"/> means the function name; null or empty
/// <see cref="Methods"/> means every method.
/// </summary>
public sealed record HttpTriggerBinding(string ParameterName, string? Route, IReadOnlyList<string>? Methods)
    : TriggerBinding(ParameterName)
{
    public override string ToString() =>
        $"httpTrigger {(Methods is { Count: > 0 } ? string.Join(",", Methods) : "*")} {Route ?? "(function name)"}";
}

/// <summary>
/// A queue trigger. <see cref="QueueName"/> may contain <c>%Setting%</c> references; a null
/// <see cref="Connection"/> means <c>AzureWebJobsStorage</c>.
/// </summary>
public sealed record QueueTriggerBinding(string ParameterName, string QueueName, string? Connection)
    : TriggerBinding(ParameterName)
{
    public override string ToString() => $"queueTrigger {QueueName} ({Connection ?? "AzureWebJobsStorage"})";
}

/// <summary>A timer trigger on a six-field NCRONTAB <see cref="Schedule"/>, which may contain <c>%Setting%</c> references.</summary>
public sealed record TimerTriggerBinding(string ParameterName, string Schedule, bool RunOnStartup)
    : TriggerBinding(ParameterName)
{
    public override string ToString() => $"timerTrigger {Schedule}{(RunOnStartup ? " runOnStartup" : "")}";
}
