using System.Net;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Serialization;
using ContactEnrichment.Core.Storage;

namespace ContactEnrichment.Bench;

/// <summary>
/// Issues the storage requests of a batch request straight to the SDK clients, with no app
/// around them: the floor that the app's time is compared with.
/// </summary>
internal sealed class FloorClient : IDisposable
{
    public const string QueueName = "bench-floor";

    private readonly CosmosClient client;
    private readonly Container persons;
    private readonly Container enrichments;
    private readonly Container credits;
    private readonly QueueClient queue;
    private readonly int parallelWrites;

    public FloorClient(BenchStack stack, string databaseName, int parallelWrites)
    {
        client = new CosmosClient(stack.CosmosEndpoint.ToString(), BenchStack.CosmosKey, new CosmosClientOptions
        {
            Serializer = new CosmosJsonSerializer(),
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            HttpClientFactory = () => new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
                MaxConnectionsPerServer = 256,
            }),
        });
        var database = client.GetDatabase(databaseName);
        persons = database.GetContainer(StorageLayout.Persons);
        enrichments = database.GetContainer(StorageLayout.Enrichments);
        credits = database.GetContainer(StorageLayout.Credits);
        queue = new QueueClient(stack.StorageConnectionString, QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        this.parallelWrites = parallelWrites;
    }

    public Task CreateQueueAsync() => queue.CreateIfNotExistsAsync();

    /// <summary>The reads of a batch request: the persons and their latest records, one query each.</summary>
    public async Task<int> ReadAsync(string orgId, IReadOnlyList<string> personIds, CancellationToken cancellationToken)
    {
        var ids = await QueryAsync<string>(persons, new QueryDefinition(
                "SELECT VALUE c.id FROM c WHERE c.orgId = @orgId AND ARRAY_CONTAINS(@ids, c.id)")
            .WithParameter("@orgId", orgId).WithParameter("@ids", personIds), orgId, cancellationToken);
        var keys = personIds.Select(id => EnrichmentDocument.LatestKey(EnrichmentField.Emails, id)).ToList();
        var latest = await QueryAsync<EnrichmentDocument>(enrichments, new QueryDefinition(
                "SELECT * FROM c WHERE c.orgId = @orgId AND ARRAY_CONTAINS(@keys, c.activeKey)")
            .WithParameter("@orgId", orgId).WithParameter("@keys", keys), orgId, cancellationToken);
        return ids.Count - latest.Count;
    }

    /// <summary>The requests of a batch of new records: the reads, one reservation patch, then a create and a send per record.</summary>
    public async Task StartAsync(string orgId, IReadOnlyList<string> personIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await ReadAsync(orgId, personIds, cancellationToken);
        var reservationId = Guid.NewGuid().ToString();
        var items = personIds.ToDictionary(_ => Guid.NewGuid().ToString(), _ => 1);
        var hold = new Dictionary<string, object>
        {
            ["createdAt"] = UtcTimestampConverter.ToText(now),
            ["items"] = items,
        };
        await credits.PatchItemAsync<object>(
            "account-" + orgId, new PartitionKey(orgId),
            [
                PatchOperation.Set($"/holds/{reservationId}", hold),
                PatchOperation.Increment("/reserved", items.Count),
                PatchOperation.Increment("/available", -items.Count),
            ],
            new PatchItemRequestOptions { FilterPredicate = $"FROM c WHERE c.available >= {items.Count}", EnableContentResponseOnWrite = false },
            cancellationToken);

        var plans = items.Keys.Zip(personIds);
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = parallelWrites, CancellationToken = cancellationToken },
            async (plan, token) =>
            {
                var document = new EnrichmentDocument
                {
                    Id = plan.First,
                    OrgId = orgId,
                    CreatedAt = now,
                    UpdatedAt = now,
                    EntityId = plan.Second,
                    Field = EnrichmentField.Emails,
                    Status = EnrichmentStatus.Pending,
                    CreatedBy = "bench",
                    ActiveKey = EnrichmentDocument.LatestKey(EnrichmentField.Emails, plan.Second),
                    ReservationId = reservationId,
                    Price = 1,
                };
                var response = await enrichments.CreateItemAsync(document, new PartitionKey(orgId),
                    new ItemRequestOptions { EnableContentResponseOnWrite = false }, token);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"Floor create returned {response.StatusCode}.");
                }

                await queue.SendMessageAsync(new EnrichmentMessage(document.Id, orgId).ToJson(), token);
            });
    }

    /// <summary>Counts the organization's records by whether they are still pending; not part of any timed figure.</summary>
    public async Task<(int Terminal, int Total)> CountTerminalAsync(string orgId, CancellationToken cancellationToken)
    {
        var statuses = await QueryAsync<string>(enrichments, new QueryDefinition(
                "SELECT VALUE c.status FROM c WHERE c.orgId = @orgId")
            .WithParameter("@orgId", orgId), orgId, cancellationToken);
        return (statuses.Count(status => status != "pending"), statuses.Count);
    }

    public void Dispose() => client.Dispose();

    private static async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, string orgId, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(
            query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(orgId) });
        while (iterator.HasMoreResults)
        {
            results.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return results;
    }
}
