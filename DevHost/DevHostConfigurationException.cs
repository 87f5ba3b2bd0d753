namespace ContactEnrichment.DevHost;

/// <summary>
/// DevHost cannot start as configured: a setting, host.json, functions.metadata or a function
/// signature is invalid. The message names the value and what to change.
/// </summary>
public sealed class DevHostConfigurationException : Exception
{
    public DevHostConfigurationException()
    {
    }

    public DevHostConfigurationException(string message)
        : base(message)
    {
    }

    public DevHostConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
