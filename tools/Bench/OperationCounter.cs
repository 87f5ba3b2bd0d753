using Microsoft.Azure.Cosmos;

namespace ContactEnrichment.Bench;

/// <summary>Counts Cosmos DB requests by kind (point read, query, write), for the request unit estimate.</summary>
internal sealed class OperationCounter : RequestHandler
{
    private long pointReads;
    private long queries;
    private long writes;
    private long other;

    public OperationCounts Snapshot() => new(
        Interlocked.Read(ref pointReads), Interlocked.Read(ref queries), Interlocked.Read(ref writes), Interlocked.Read(ref other));

    public void Reset()
    {
        Interlocked.Exchange(ref pointReads, 0);
        Interlocked.Exchange(ref queries, 0);
        Interlocked.Exchange(ref writes, 0);
        Interlocked.Exchange(ref other, 0);
    }

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.RequestUri?.OriginalString ?? "";
        var isQuery = request.Headers["x-ms-documentdb-isquery"] is not null
            || request.Headers["x-ms-documentdb-query"] is not null
            || string.Equals(request.Headers.ContentType, "application/query+json", StringComparison.OrdinalIgnoreCase);
        if (isQuery)
        {
            Interlocked.Increment(ref queries);
        }
        else if (request.Method != HttpMethod.Get)
        {
            Interlocked.Increment(ref writes);
        }
        else if (path.Length == 0 || path.Contains("/docs/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref pointReads);
        }
        else
        {
            Interlocked.Increment(ref other);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Cosmos DB requests by kind; <see cref="Other"/> are metadata reads of the database and containers.</summary>
internal sealed record OperationCounts(long PointReads, long Queries, long Writes, long Other)
{
    public long Total => PointReads + Queries + Writes + Other;

    public static OperationCounts operator +(OperationCounts left, OperationCounts right) =>
        new(left.PointReads + right.PointReads, left.Queries + right.Queries, left.Writes + right.Writes, left.Other + right.Other);
}
