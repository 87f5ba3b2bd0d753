using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Organizations;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

/// <summary>An organization of its own for one test, with helpers to seed it and call the API.</summary>
internal sealed class ApiTestContext(LocalStackFixture stack, RunningApp app)
{
    public string OrgId { get; } = "org_" + Guid.NewGuid().ToString("N")[..12];

    public string UserId { get; } = "user_" + Guid.NewGuid().ToString("N")[..8];

    public RunningApp App => app;

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public async Task<List<string>> SeedPersonsAsync(int count, long credits)
    {
        await Service<OrganizationRegistry>().RegisterAsync(OrgId, CancellationToken.None);
        if (credits > 0)
        {
            await Service<CreditService>().GrantAsync(OrgId, "test", credits, CancellationToken.None);
        }

        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToList();
        await Parallel.ForEachAsync(ids, async (id, _) => await AddPersonAsync(id));
        return ids;
    }

    public Task AddPersonAsync(string id, string? fullName = null, string? companyDomain = "example.net")
    {
        var now = Service<TimeProvider>().GetUtcNow();
        return Service<PersonRepository>().UpsertAsync(new PersonDocument
        {
            Id = id,
            OrgId = OrgId,
            FullName = fullName ?? "Test Person " + id[..8],
            CompanyDomain = companyDomain,
            CreatedAt = now,
            UpdatedAt = now,
        }, CancellationToken.None);
    }

    public Task<HttpResponseMessage> PostAsync(string route, string body, string? token = null) =>
        SendAsync(HttpMethod.Post, route, body, token);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string route, string? body, string? token = null)
    {
        using var request = new HttpRequestMessage(method, route);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? stack.CreateToken(OrgId, UserId));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await app.Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> StartBatchAsync(IEnumerable<string> personIds, string field = "phones") =>
        PostAsync("api/v1/operations/enrichment/batch", JsonSerializer.Serialize(new { personIds, field }));

    public async Task<CreditBalance> BalanceAsync() =>
        await Service<CreditService>().GetBalanceAsync(OrgId, CancellationToken.None);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
