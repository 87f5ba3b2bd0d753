using System.Globalization;
using System.Text.Json;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Reliability;

/// <summary>
/// Sizes and shared steps of the reliability tests. <c>./dev test</c> runs them small; set
/// <c>RELIABILITY_FULL=1</c> for the full sizes (1,000 requests over 10,000 persons), and
/// <c>RELIABILITY_REPORT=path</c> to append each test's figures to a file.
/// </summary>
internal static class ReliabilityRun
{
    public static bool Full => Environment.GetEnvironmentVariable("RELIABILITY_FULL") == "1";

    /// <summary>Settings that let the sweeps recover stranded records and reservations within seconds.</summary>
    public static Dictionary<string, string?> FastSweeps(TimeSpan orphanTimeout) => new()
    {
        ["SweepSchedule"] = "*/2 * * * * *",
        ["Enrichment__RequeueAfter"] = "00:00:05",
        ["Enrichment__MaxRunTime"] = "00:00:40",
        ["Enrichment__OrphanReservationTimeout"] = orphanTimeout.ToString("c", CultureInfo.InvariantCulture),
    };

    /// <summary>Seeds persons, one in five a person of the demo directory so that some enrichments find data.</summary>
    public static async Task<List<string>> SeedPersonsAsync(ApiTestContext context, int count, long credits, int seed)
    {
        var directory = DirectoryPeople();
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToList();
        await context.SeedPersonsAsync(0, credits);
        await Parallel.ForEachAsync(ids.Select((id, index) => (id, index)), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (person, _) =>
            {
                if ((person.index + seed) % 5 == 0)
                {
                    var (name, domain) = directory[person.index % directory.Count];
                    await context.AddPersonAsync(person.id, name, domain);
                }
                else
                {
                    await context.AddPersonAsync(person.id);
                }
            });
        return ids;
    }

    /// <summary>Random batches: 1 to <paramref name="maxSize"/> persons from the pool, either field.</summary>
    public static List<(List<string> PersonIds, string Field)> RandomBatches(IReadOnlyList<string> pool, int count, int maxSize, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => (pool.OrderBy(_ => random.Next()).Take(random.Next(1, maxSize + 1)).ToList(), random.Next(4) == 0 ? "phones" : "emails"))
            .ToList();
    }

    public static async Task WaitUntilSettledAsync(IServiceProvider services, string orgId, TimeSpan timeout)
    {
        await Eventually.WaitUntilAsync(async () => (await InvariantChecker.ReadAsync(services, orgId)).Settled, timeout);
    }

    public static void Report(string test, string figures)
    {
        var path = Environment.GetEnvironmentVariable("RELIABILITY_REPORT");
        if (!string.IsNullOrEmpty(path))
        {
            File.AppendAllText(path, $"{test}: {figures}\n");
        }
    }

    private static List<(string Name, string Domain)> DirectoryPeople()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "demo", "directory.json")));
        return document.RootElement.GetProperty("entries").EnumerateArray()
            .Where(entry => entry.TryGetProperty("companyDomain", out _))
            .Select(entry => (entry.GetProperty("fullName").GetString()!, entry.GetProperty("companyDomain").GetString()!))
            .ToList();
    }
}
