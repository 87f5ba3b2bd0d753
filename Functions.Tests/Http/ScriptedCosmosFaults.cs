using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Queueing;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Enrichment;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>
/// A Cosmos DB request handler, registered in DI, that fails chosen requests with a transient
/// status. A fault either replaces the request (the write never happens) or replaces only the
/// response after the server applied the request, as when a response is lost on the way back.
/// </summary>
internal sealed class ScriptedCosmosFaults : RequestHandler
{
    private readonly Lock gate = new();
    private readonly List<Fault> faults = [];
    private int injected;

    /// <summary>Statuses the server returned for requests whose response was then replaced.</summary>
    public ConcurrentQueue<HttpStatusCode> AppliedStatuses { get; } = new();

    public int Injected => Volatile.Read(ref injected);

    /// <summary>Fails the first <paramref name="count"/> matching requests with <paramref name="status"/>, without sending them.</summary>
    public void FailBefore(Func<CosmosRequest, bool> rule, int count, HttpStatusCode status, TimeSpan? retryAfter = null) =>
        Add(new Fault(rule, count, status, retryAfter ?? TimeSpan.FromMilliseconds(5), AfterApplying: false));

    /// <summary>
    /// Sends the first <paramref name="count"/> matching requests to the server, then returns
    /// <paramref name="status"/> in place of the server's response.
    /// </summary>
    public void FailAfterApplying(Func<CosmosRequest, bool> rule, int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable) =>
        Add(new Fault(rule, count, status, TimeSpan.FromMilliseconds(5), AfterApplying: true));

    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var described = CosmosRequest.From(request);
        Fault? fault;
        lock (gate)
        {
            fault = faults.FirstOrDefault(candidate => candidate.Remaining > 0 && candidate.Rule(described));
            if (fault is not null && fault.Remaining != int.MaxValue)
            {
                fault.Remaining--;
            }
        }

        if (fault is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        if (fault.AfterApplying)
        {
            using var applied = await base.SendAsync(request, cancellationToken);
            AppliedStatuses.Enqueue(applied.StatusCode);
        }

        Interlocked.Increment(ref injected);
        // Without an error message the SDK builds its exception from the headers set below, so
        // CosmosException.RetryAfter carries the injected wait (Microsoft.Azure.Cosmos 3.64.0).
        var response = new ResponseMessage(fault.Status, request, errorMessage: null);
        response.Headers["x-ms-retry-after-ms"] = ((long)fault.RetryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return response;
    }

    private void Add(Fault fault)
    {
        lock (gate)
        {
            faults.Add(fault);
        }
    }

    private sealed record Fault(Func<CosmosRequest, bool> Rule, int Count, HttpStatusCode Status, TimeSpan RetryAfter, bool AfterApplying)
    {
        public int Remaining { get; set; } = Count;
    }
}

/// <summary>Records the enrichment messages an app sends to the request queue, decoded.</summary>
internal sealed class SentMessageRecorder : HttpPipelineSynchronousPolicy
{
    public ConcurrentQueue<EnrichmentMessage> Messages { get; } = new();

    /// <summary>Returns the enrichment ids of the messages sent for one organization; sweeps send for every organization.</summary>
    public List<string> SentFor(string orgId) =>
        Messages.Where(message => message.OrgId == orgId).Select(message => message.EnrichmentId).ToList();

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Request.Method != RequestMethod.Post ||
            !message.Request.Uri.Path.EndsWith($"/{StorageLayout.RequestQueue}/messages", StringComparison.Ordinal) ||
            message.Request.Content is null)
        {
            return;
        }

        using var body = new MemoryStream();
        message.Request.Content.WriteTo(body, CancellationToken.None);
        body.Position = 0;
        // The app's queue client uses Base64 message encoding inside the XML envelope.
        var text = XDocument.Load(body).Root?.Element("MessageText")?.Value ?? "";
        var parsed = EnrichmentMessage.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        if (parsed is not null)
        {
            Messages.Enqueue(parsed);
        }
    }
}
