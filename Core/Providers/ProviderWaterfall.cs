using ContactEnrichment.Core.Domain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Core.Providers;

/// <summary>
/// Asks the providers configured in <c>Providers:Order:&lt;field&gt;</c>, in order, skipping those
/// that do not support the field, and stops at the first that finds data for the field.
/// </summary>
public sealed class ProviderWaterfall
{
    private readonly Dictionary<string, IContactProvider> providers;
    private readonly IOptionsMonitor<ProvidersOptions> options;
    private readonly ILogger<ProviderWaterfall> logger;

    public ProviderWaterfall(
        IEnumerable<IContactProvider> providers,
        IOptionsMonitor<ProvidersOptions> options,
        ILogger<ProviderWaterfall> logger)
    {
        ArgumentNullException.ThrowIfNull(providers);
        this.providers = providers.ToDictionary(provider => provider.Name, StringComparer.Ordinal);
        this.options = options;
        this.logger = logger;
    }

    /// <summary>
    /// Returns <see cref="ProviderOutcome.Found"/> with the first provider's data for
    /// <see cref="ProviderQuery.Field"/>; <see cref="ProviderOutcome.NotFound"/> when at least
    /// one provider responded and none found data; <see cref="ProviderOutcome.Failed"/> with the
    /// last error when every provider asked failed. Throws only on cancellation.
    /// </summary>
    public async Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        var field = query.Field.ToWireName();
        ProviderResult? lastFailure = null;
        var responded = false;
        foreach (var provider in ProvidersFor(query.Field))
        {
            var result = await AskAsync(provider, query, cancellationToken);
            Log.WaterfallProviderResponded(logger, field, provider.Name, result.Outcome, result.ErrorCode);
            if (result.Outcome == ProviderOutcome.Failed)
            {
                lastFailure = result;
                continue;
            }

            responded = true;
            var data = result.Data.For(query.Field);
            if (result.Outcome == ProviderOutcome.Found && !data.IsEmpty)
            {
                return ProviderResult.Found(data);
            }
        }

        if (responded)
        {
            return ProviderResult.NotFound;
        }

        if (lastFailure is null)
        {
            Log.WaterfallHasNoProviders(logger, field);
            return ProviderResult.Failed(
                ProviderErrorCodes.BadConfiguration,
                $"No configured provider supports {field}; check Providers:Order:{field}.");
        }

        return lastFailure;
    }

    private IEnumerable<IContactProvider> ProvidersFor(EnrichmentField field)
    {
        foreach (var name in options.CurrentValue.Order.For(field))
        {
            // Startup validation rejects unknown names, so a miss here means a reload added one.
            if (!providers.TryGetValue(name, out var provider))
            {
                Log.WaterfallUnknownProvider(logger, field.ToWireName(), name);
                continue;
            }

            if (provider.Supports(field))
            {
                yield return provider;
            }
        }
    }

    private async Task<ProviderResult> AskAsync(IContactProvider provider, ProviderQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return await provider.FindAsync(query, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One provider's defect must not stop the waterfall; it is logged with its stack.
            Log.WaterfallProviderThrew(logger, exception, provider.Name, query.Field.ToWireName());
            return ProviderResult.Failed(
                ProviderErrorCodes.InternalError,
                $"Provider '{provider.Name}' threw {exception.GetType().Name}; see the logs for the stack trace.");
        }
    }
}
