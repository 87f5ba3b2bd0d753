using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;
using ContactEnrichment.Core.Enrichment;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Reliability;

[Collection(LocalStackDefinition.Name)]
public sealed class CrashRecoveryTests(LocalStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task KilledAppProcess_AfterRestart_InvariantsHold()
    {
        var (requests, persons, kills) = ReliabilityRun.Full ? (200, 2_000, 3) : (30, 200, 1);

        // This in-process app only seeds and reads state; the app under test is the child process.
        await using var reader = await stack.StartAppAsync();
        var context = new ApiTestContext(stack, reader);
        var pool = await ReliabilityRun.SeedPersonsAsync(context, persons, credits: persons * 4L, seed: 5);
        var batches = ReliabilityRun.RandomBatches(pool, requests, maxSize: 40, seed: 6);

        var settings = new Dictionary<string, string?>(stack.Settings);
        foreach (var (name, value) in ReliabilityRun.FastSweeps(TimeSpan.FromSeconds(10)))
        {
            settings[name] = value;
        }

        var port = DevHostChildProcess.FreePort();
        var child = await DevHostChildProcess.StartAsync(settings, port);
        using var client = new HttpClient { BaseAddress = child.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var token = stack.CreateToken(context.OrgId, context.UserId);
        int served = 0, refused = 0, serverErrors = 0, next = -1;
        var rounds = Enumerable.Range(0, kills + 1).Select(round => batches.Count * (round + 1) / (kills + 1)).ToList();
        try
        {
            for (var round = 0; round <= kills; round++)
            {
                var end = rounds[round];
                var senders = Enumerable.Range(0, 8).Select(async _ =>
                {
                    int index;
                    while ((index = Interlocked.Increment(ref next)) < end)
                    {
                        var status = await SendAsync(client, token, batches[index]);
                        Interlocked.Increment(ref status is null ? ref refused : ref served);
                        if (status >= 500)
                        {
                            Interlocked.Increment(ref serverErrors);
                        }
                    }
                }).ToList();

                if (round < kills)
                {
                    // Kill while requests are in flight and messages are being processed.
                    await Task.Delay(TimeSpan.FromMilliseconds(800));
                    child.Kill();
                    await Task.WhenAll(senders);

                    // Each sender moved the shared index once past the end of the round; the next round starts at its end.
                    Interlocked.Exchange(ref next, end - 1);
                    child.Dispose();
                    child = await DevHostChildProcess.StartAsync(settings, port);
                }
                else
                {
                    await Task.WhenAll(senders);
                }
            }

            await ReliabilityRun.WaitUntilSettledAsync(reader.Services, context.OrgId, TimeSpan.FromMinutes(ReliabilityRun.Full ? 10 : 3));
        }
        finally
        {
            child.Dispose();
        }

        var state = await InvariantChecker.ReadAsync(reader.Services, context.OrgId);
        var violations = InvariantChecker.Violations(
            state, context.Service<IOptions<EnrichmentOptions>>().Value.FreshnessWindow, context.Service<TimeProvider>().GetUtcNow());
        var figures = $"{requests} requests over {persons} persons from 8 clients, app process killed {kills} times; " +
            $"{served} answered, {refused} lost to the kill, {serverErrors} 5xx; {state.Records.Count} records: " +
            $"{string.Join(", ", state.Records.GroupBy(r => r.Status).Select(g => $"{g.Key} {g.Count()}"))}; {violations.Count} invariant violations";
        output.WriteLine(figures);
        ReliabilityRun.Report(nameof(CrashRecoveryTests), figures);
        Assert.True(served > 0);
        Assert.Empty(violations);
    }

    /// <summary>Returns the status code, or null when the request failed because the process was killed.</summary>
    private static async Task<int?> SendAsync(HttpClient client, string token, (List<string> PersonIds, string Field) batch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/operations/enrichment/batch")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { personIds = batch.PersonIds, field = batch.Field }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
