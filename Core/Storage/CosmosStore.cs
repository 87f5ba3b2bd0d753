using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using ContactEnrichment.Core.Serialization;

namespace ContactEnrichment.Core.Storage;

/// <summary>The Cosmos DB client and the containers the app uses.</summary>
public sealed class CosmosStore : IDisposable
{
    /// <param name="handlers">
    /// Extra request handlers from DI, run for every request; tests and benchmarks register them
    /// to count requests or inject faults. The app itself registers none.
    /// </param>
    public CosmosStore(IOptions<CosmosOptions> options, StorageRequestCounter counter, IEnumerable<RequestHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        Layout = StorageLayout.Default;
        DatabaseName = string.IsNullOrWhiteSpace(settings.DatabaseName) ? Layout.DatabaseName : settings.DatabaseName;
        Client = CreateClient(settings, counter, handlers);

        var database = Client.GetDatabase(DatabaseName);
        Persons = database.GetContainer(StorageLayout.Persons);
        Enrichments = database.GetContainer(StorageLayout.Enrichments);
        Credits = database.GetContainer(StorageLayout.Credits);
        GlobalResults = database.GetContainer(StorageLayout.GlobalResults);
        Organizations = database.GetContainer(StorageLayout.Organizations);
    }

    public CosmosClient Client { get; }

    public StorageLayout Layout { get; }

    public string DatabaseName { get; }

    public Container Persons { get; }

    public Container Enrichments { get; }

    public Container Credits { get; }

    public Container GlobalResults { get; }

    public Container Organizations { get; }

    public void Dispose() => Client.Dispose();

    private static CosmosClient CreateClient(
        CosmosOptions settings, StorageRequestCounter counter, IEnumerable<RequestHandler> handlers)
    {
        var clientOptions = new CosmosClientOptions
        {
            Serializer = new CosmosJsonSerializer(),
            ConnectionMode = ConnectionMode.Gateway,
            EnableContentResponseOnWrite = true,
        };
        if (settings.CountRequests)
        {
            clientOptions.CustomHandlers.Add(counter.CreateCosmosHandler());
        }

        foreach (var handler in handlers)
        {
            clientOptions.CustomHandlers.Add(handler);
        }

        if (settings.AcceptLocalCertificate)
        {
            // The local stand-in serves a self-signed certificate and advertises no other regions.
            clientOptions.LimitToEndpoint = true;
            clientOptions.HttpClientFactory = () => new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
                MaxConnectionsPerServer = 256,
            });
        }

        return string.IsNullOrEmpty(settings.Key)
            ? new CosmosClient(settings.Endpoint, new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(settings.Endpoint, settings.Key, clientOptions);
    }
}
