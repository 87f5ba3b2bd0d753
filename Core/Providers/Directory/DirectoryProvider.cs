using ContactEnrichment.Core.Domain;
using Microsoft.Extensions.Logging;

namespace ContactEnrichment.Core.Providers.Directory;

/// <summary>
/// The default provider: a local, file-backed contact directory (see README.md beside this
/// file), so that the app finds data with no API keys. It supports emails and phones.
/// </summary>
internal sealed class DirectoryProvider(
    DirectoryStore store,
    ContactNormalizer normalizer,
    ILogger<DirectoryProvider> logger) : IContactProvider
{
    public const string ProviderName = "directory";

    public string Name => ProviderName;

    public bool Supports(EnrichmentField field) => field is EnrichmentField.Emails or EnrichmentField.Phones;

    public async Task<ProviderResult> FindAsync(ProviderQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        var state = await store.GetAsync(cancellationToken);
        switch (state)
        {
            case DirectoryState.Missing:
                return ProviderResult.NotFound;
            case DirectoryState.Invalid invalid:
                return ProviderResult.Failed(ProviderErrorCodes.BadConfiguration, invalid.Error);
        }

        var index = ((DirectoryState.Loaded)state).Index;
        var matches = index.Match(query);
        Log.DirectoryMatched(logger, matches.Count, query.Field);
        if (matches.Count == 0)
        {
            return ProviderResult.NotFound;
        }

        var data = Normalize(matches).For(query.Field);
        return data.IsEmpty ? ProviderResult.NotFound : ProviderResult.Found(data);
    }

    private ContactData Normalize(IReadOnlyList<DirectoryEntry> matches) =>
        normalizer.Normalize(
            ProviderName,
            matches.SelectMany(entry => entry.Emails).Select(email => new RawEmail(email.Address)),
            matches.SelectMany(entry => entry.Phones).Select(phone => new RawPhone(phone.Number, phone.Region, phone.Label)))
        .Data;
}
