using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace ContactEnrichment.DevHost.Catalog;

/// <summary>
/// Reads functions from their <c>[Function]</c> methods and trigger attributes, for function
/// classes that no functions.metadata describes (the tests' own functions).
/// </summary>
internal static class FunctionAttributeReader
{
    public static FunctionCatalog Read(IReadOnlyList<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (types.Count == 0)
        {
            throw new ArgumentException("Give at least one type with [Function] methods.", nameof(types));
        }

        var functions = new List<FunctionDescriptor>();
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is { } function)
                {
                    functions.Add(new FunctionDescriptor(function.Name, method, ReadTrigger(method, function.Name)));
                }
            }
        }

        var directory = Path.GetDirectoryName(types[0].Assembly.Location);
        return new FunctionCatalog(functions, string.IsNullOrEmpty(directory) ? AppContext.BaseDirectory : directory);
    }

    private static TriggerBinding ReadTrigger(MethodInfo method, string functionName)
    {
        if (method.GetCustomAttributes<OutputBindingAttribute>().Concat(method.ReturnParameter.GetCustomAttributes<OutputBindingAttribute>())
            .FirstOrDefault() is { } output)
        {
            throw FunctionMetadataReader.UnsupportedBinding(functionName, $"an output binding ({output.GetType().Name})");
        }

        TriggerBinding? trigger = null;
        foreach (var parameter in method.GetParameters())
        {
            foreach (var attribute in parameter.GetCustomAttributes<BindingAttribute>())
            {
                var binding = ToTrigger(attribute, parameter.Name!)
                    ?? throw FunctionMetadataReader.UnsupportedBinding(functionName, $"a {attribute.GetType().Name} on parameter '{parameter.Name}'");
                if (trigger is not null)
                {
                    throw new DevHostConfigurationException($"Function '{functionName}' declares more than one trigger.");
                }

                trigger = binding;
            }
        }

        return trigger ?? throw new DevHostConfigurationException($"Function '{functionName}' has no trigger attribute.");
    }

    private static TriggerBinding? ToTrigger(BindingAttribute attribute, string parameterName) => attribute switch
    {
        HttpTriggerAttribute http => new HttpTriggerBinding(parameterName, http.Route, http.Methods),
        QueueTriggerAttribute queue => new QueueTriggerBinding(parameterName, queue.QueueName, queue.Connection),
        TimerTriggerAttribute timer => new TimerTriggerBinding(parameterName, timer.Schedule, timer.RunOnStartup),
        _ => null,
    };
}
