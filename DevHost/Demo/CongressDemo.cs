using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactEnrichment.Core.Serialization;

namespace ContactEnrichment.DevHost.Demo;

/// <summary>Settings of one demo run.</summary>
public sealed record CongressDemoOptions
{
    /// <summary>The folder with the two congress-legislators YAML files.</summary>
    public required string DataFolder { get; init; }

    /// <summary>The directory provider's file that the running app reads; the demo overwrites it.</summary>
    public required string DirectoryFile { get; init; }

    /// <summary>The organization that owns the imported persons.</summary>
    public string OrganizationId { get; init; } = "org_congress_demo";

    /// <summary>How many members, in file order, also get an <c>emails</c> enrichment (default 25).</summary>
    public int EmailSampleSize { get; init; } = 25;

    /// <summary>Persons per import request (the API accepts up to 1,000).</summary>
    public int ImportChunkSize { get; init; } = 250;

    /// <summary>Persons per batch request (the API accepts up to 100).</summary>
    public int BatchChunkSize { get; init; } = 100;

    /// <summary>
    /// The pause between polls (default 2 s). Each poll queries every task, and the local Cosmos DB
    /// stand-in scans for each query, so frequent polls slow the processing they wait for.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for every record to be terminal (default 15 minutes, above the 800 s pending limit).</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMinutes(15);
}

/// <summary>Adds credits to an organization, outside the API, which has no grant route.</summary>
public delegate Task CreditGrant(string organizationId, string grantId, long credits, CancellationToken cancellationToken);

/// <summary>
/// Runs the Congress demo against a running app. It imports the members as persons, writes their
/// office phones into the directory file and grants the credits that a dry run reports as missing. Then it
/// enriches phones for all and emails for a sample, waits until every record is terminal, and
/// reports the figures.
/// </summary>
public sealed class CongressDemo(HttpClient client, Func<string> token, CreditGrant grant, TextWriter output, TimeProvider timeProvider)
{
    private static readonly string[] TerminalStatuses = ["finished", "failed", "timeout", "cancelled"];

    private long started;

    public async Task<CongressDemoReport> RunAsync(CongressDemoOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        started = timeProvider.GetTimestamp();
        var members = CongressData.Load(options.DataFolder);
        await ProgressAsync($"Read {members.Count} members of Congress from {options.DataFolder}.");

        await ImportAsync(members, options, cancellationToken);
        var directoryEntries = await CongressDirectoryFile.WriteAsync(options.DirectoryFile, members, cancellationToken);
        await ProgressAsync($"Wrote {directoryEntries} directory entries with office phones to {options.DirectoryFile}.");

        var everyone = members.Select(member => member.PersonId).ToList();
        var sample = everyone.Take(options.EmailSampleSize).ToList();
        var phonesPlan = await PlanAsync(everyone, "phones", options, cancellationToken);
        var emailsPlan = await PlanAsync(sample, "emails", options, cancellationToken);
        await GrantShortfallAsync(options.OrganizationId, phonesPlan.Price + emailsPlan.Price, cancellationToken);
        var balanceBefore = await BalanceAsync(cancellationToken);

        var phoneIds = await StartAsync(everyone, "phones", options, cancellationToken);
        var emailIds = await StartAsync(sample, "emails", options, cancellationToken);
        await ProgressAsync($"Started phones for {everyone.Count} persons and emails for {sample.Count}; waiting for every record to finish.");

        var tasks = everyone.Select(id => (id, "phones")).Concat(sample.Select(id => (id, "emails"))).ToList();
        var records = await PollAsync(tasks, options, cancellationToken);
        var balanceAfter = await BalanceAsync(cancellationToken);

        var phones = FieldFigures.From(records.Where(record => Field(record) == "phones").ToList(), everyone.Count);
        var emails = FieldFigures.From(records.Where(record => Field(record) == "emails").ToList(), sample.Count);
        var expected = ChargedByThisRun(records, phoneIds, phonesPlan) + ChargedByThisRun(records, emailIds, emailsPlan);
        var report = new CongressDemoReport(
            options.OrganizationId, CongressData.PersonIdNamespace.ToString(), members.Count, phones, emails,
            balanceBefore - balanceAfter, expected, Math.Round(timeProvider.GetElapsedTime(started).TotalSeconds, 1));
        await WriteSummaryAsync(report, members, cancellationToken);
        return report;
    }

    private async Task ImportAsync(IReadOnlyList<CongressMember> members, CongressDemoOptions options, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0;
        foreach (var chunk in members.Chunk(options.ImportChunkSize))
        {
            var persons = chunk.Select(member => new
            {
                id = member.PersonId,
                firstName = member.FirstName,
                lastName = member.LastName,
                fullName = member.FullName,
                companyName = member.CompanyName,
                companyDomain = member.CompanyDomain,
                title = member.Title,
                location = member.Location,
                externalIds = new Dictionary<string, string> { ["bioguide"] = member.Bioguide },
            });
            var result = await PostAsync("api/v1/entities/persons", new { persons }, cancellationToken);
            created += result["created"]!.GetValue<int>();
            updated += result["updated"]!.GetValue<int>();
        }

        await ProgressAsync($"Imported {members.Count} persons into {options.OrganizationId}: {created} created, {updated} updated.");
    }

    private async Task<FieldPlan> PlanAsync(IReadOnlyList<string> personIds, string field, CongressDemoOptions options, CancellationToken cancellationToken)
    {
        var plan = new FieldPlan();
        foreach (var chunk in personIds.Chunk(options.BatchChunkSize))
        {
            var dryRun = await PostAsync("api/v1/operations/enrichment/batch", new { personIds = chunk, field, dryRun = true }, cancellationToken);
            var createdCount = dryRun["createdCount"]!.GetValue<int>();
            plan.Price += dryRun["price"]!.GetValue<long>();
            plan.Created += createdCount;
            foreach (var record in dryRun["reused"]!.AsArray())
            {
                plan.ReusedIds.Add(record!["id"]!.GetValue<string>());
            }
        }

        plan.UnitPrice = plan.Created == 0 ? 0 : plan.Price / plan.Created;
        await ProgressAsync($"Dry run for {field}: {plan.Created} new enrichments for {plan.Price} credits, {plan.ReusedIds.Count} reused.");
        return plan;
    }

    private async Task GrantShortfallAsync(string organizationId, long needed, CancellationToken cancellationToken)
    {
        var available = (await GetAsync("api/v1/operations/credits/balance", cancellationToken))["available"]!.GetValue<long>();
        if (available >= needed)
        {
            await ProgressAsync($"The organization has {available} credits available; {needed} are needed, so none are granted.");
            return;
        }

        var credits = needed - available;
        await grant(organizationId, "congress-demo-" + Guid.NewGuid().ToString("N"), credits, cancellationToken);
        await ProgressAsync($"Granted {credits} credits to {organizationId} ({needed} needed, {available} were available).");
    }

    private async Task<HashSet<string>> StartAsync(IReadOnlyList<string> personIds, string field, CongressDemoOptions options, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in personIds.Chunk(options.BatchChunkSize))
        {
            var records = await PostAsync("api/v1/operations/enrichment/batch", new { personIds = chunk, field }, cancellationToken);
            foreach (var record in records.AsArray())
            {
                ids.Add(record!["id"]!.GetValue<string>());
            }
        }

        return ids;
    }

    private async Task<List<JsonNode>> PollAsync(List<(string PersonId, string Field)> tasks, CongressDemoOptions options, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetTimestamp() + (long)(options.PollTimeout.TotalSeconds * timeProvider.TimestampFrequency);
        while (true)
        {
            var records = new List<JsonNode>();
            foreach (var chunk in tasks.Chunk(200))
            {
                var body = new { tasks = chunk.Select(task => new { entityId = task.PersonId, field = task.Field, entityType = "person" }) };
                records.AddRange((await PostAsync("api/v1/operations/enrichment/batch/query", body, cancellationToken)).AsArray().Select(node => node!));
            }

            var pending = records.Count(record => !TerminalStatuses.Contains(Status(record)));
            if ((pending == 0 && records.Count == tasks.Count) || timeProvider.GetTimestamp() >= deadline)
            {
                return records;
            }

            await Task.Delay(options.PollInterval, timeProvider, cancellationToken);
        }
    }

    private static long ChargedByThisRun(List<JsonNode> records, HashSet<string> startedIds, FieldPlan plan) =>
        records.Count(record =>
            startedIds.Contains(record["id"]!.GetValue<string>()) && !plan.ReusedIds.Contains(record["id"]!.GetValue<string>()) &&
            Status(record) == "finished" && record["dataFound"]?.GetValue<bool>() == true) * plan.UnitPrice;

    private async Task WriteSummaryAsync(CongressDemoReport report, IReadOnlyList<CongressMember> members, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Organization {report.OrganizationId}: {report.Persons} persons (ids: UUID v5 of the bioguide id in {report.PersonIdNamespace})");
        await output.WriteLineAsync(Describe("phones", report.Phones));
        await output.WriteLineAsync(Describe("emails", report.Emails));
        await output.WriteLineAsync($"Credits charged: {report.CreditsCharged} (expected {report.CreditsExpected})");

        var example = members.FirstOrDefault(member => member.Phones.Count > 0);
        if (example is not null)
        {
            var person = await GetAsync($"api/v1/entities/persons/{example.PersonId}", cancellationToken);
            var stored = string.Join(", ", person["phones"]!.AsArray().Select(phone => phone!["number"]!.GetValue<string>()).Take(3));
            await output.WriteLineAsync($"Example: {example.FullName}, {example.Phones[0].Label} {example.Phones[0].Number}, stored as {stored}");
        }

        await output.WriteLineAsync($"Elapsed: {report.ElapsedSeconds} s");
        await output.WriteLineAsync(JsonSerializer.Serialize(report, JsonDefaults.Options));
    }

    private Task ProgressAsync(string message) =>
        output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{timeProvider.GetElapsedTime(started).TotalSeconds,5:0.0} s] {message}"));

    private static string Describe(string field, FieldFigures figures) =>
        $"{field}: {figures.Requested} requested, {figures.Found} found, {figures.NotFound} not found, {figures.Failed} failed, " +
        $"{figures.Timeout} timed out, {figures.Cancelled} cancelled, {figures.Pending} pending";

    private async Task<long> BalanceAsync(CancellationToken cancellationToken) =>
        (await GetAsync("api/v1/operations/credits/balance", cancellationToken))["balance"]!.GetValue<long>();

    private Task<JsonNode> GetAsync(string route, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, route), cancellationToken);

    private Task<JsonNode> PostAsync(string route, object body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, route) { Content = JsonContent.Create(body, options: JsonDefaults.Options) }, cancellationToken);

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token());
            using var response = await client.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CongressDemoException(
                    $"{request.Method} {request.RequestUri} failed with {(int)response.StatusCode}: {Truncate(text)}");
            }

            return JsonNode.Parse(text)!;
        }
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : new StringBuilder(text, 0, 500, 503).Append("...").ToString();

    private static string Status(JsonNode record) => record["status"]!.GetValue<string>();

    private static string Field(JsonNode record) => record["field"]!.GetValue<string>();

    private sealed class FieldPlan
    {
        public long Price { get; set; }

        public int Created { get; set; }

        public long UnitPrice { get; set; }

        public HashSet<string> ReusedIds { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>A failed API call during the demo; the message has the route, status and body.</summary>
public sealed class CongressDemoException(string message) : Exception(message);

/// <summary>The outcome of the enrichments of one field.</summary>
public sealed record FieldFigures(int Requested, int Found, int NotFound, int Failed, int Timeout, int Cancelled, int Pending)
{
    public static FieldFigures From(IReadOnlyList<JsonNode> records, int requested)
    {
        ArgumentNullException.ThrowIfNull(records);
        int Count(string status, bool? dataFound = null) => records.Count(record =>
            record["status"]!.GetValue<string>() == status &&
            (dataFound is null || record["dataFound"]?.GetValue<bool>() == dataFound));

        var terminal = Count("finished") + Count("failed") + Count("timeout") + Count("cancelled");
        return new FieldFigures(requested, Count("finished", true), Count("finished", false), Count("failed"), Count("timeout"),
            Count("cancelled"), requested - terminal);
    }
}

/// <summary>The demo's figures; the last line of its output is this record as JSON.</summary>
public sealed record CongressDemoReport(
    string OrganizationId,
    string PersonIdNamespace,
    int Persons,
    FieldFigures Phones,
    FieldFigures Emails,
    long CreditsCharged,
    long CreditsExpected,
    double ElapsedSeconds);
