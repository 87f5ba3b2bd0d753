using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Enrichment;

/// <summary>Two organizations enriching the same person share the data, never the ids.</summary>
[Collection(LocalStackDefinition.Name)]
public sealed class GlobalResultSharingTests(LocalStackFixture stack)
{
    private const long Granted = 100;

    [Fact]
    public async Task SameNameAndDomain_SecondOrgSkipsProvider()
    {
        var provider = FakeContactProvider.Finding("shared@example.com", "+12025550143", TimeProvider.System);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider });
        var first = new ProcessingTestContext(app);
        var second = new ProcessingTestContext(app);
        await first.RegisterAsync(Granted);
        await second.RegisterAsync(Granted);
        var name = TestNames.UniqueFullName();
        var firstPerson = await first.AddPersonAsync(name, "example.com");
        var secondPerson = await second.AddPersonAsync(name.ToUpperInvariant(), "https://www.Example.com/about");

        var firstRecord = await first.StartAsync(firstPerson, EnrichmentField.Emails);
        await first.ProcessAsync(firstRecord.Id);
        var secondRecord = await second.StartAsync(secondPerson, EnrichmentField.Emails);
        await second.ProcessAsync(secondRecord.Id);

        Assert.Equal(1, provider.Calls);
        var firstDone = await first.RecordAsync(firstRecord.Id);
        var secondDone = await second.RecordAsync(secondRecord.Id);
        Assert.True(secondDone.DataFound);
        Assert.Equal(firstDone.GlobalEnrichmentId, secondDone.GlobalEnrichmentId);
        Assert.Equal(["shared@example.com"], (await second.PersonAsync(secondPerson)).Emails.Select(email => email.Address));
        await first.AssertSettledAsync(Granted, (firstRecord.Id, 1));
        await second.AssertSettledAsync(Granted, (secondRecord.Id, 1));

        await AssertHoldsNoIdsAsync(app, firstDone.GlobalEnrichmentId!, first, second, firstPerson, secondPerson, firstRecord.Id, secondRecord.Id);
        await AssertCannotSeeAsync(app, viewer: second, owner: first, firstPerson);
        await AssertCannotSeeAsync(app, viewer: first, owner: second, secondPerson);
    }

    [Fact]
    public async Task SameLinkedinProfile_SecondOrgSkipsProvider()
    {
        var provider = FakeContactProvider.Finding("linkedin@example.com", "+14155550187", TimeProvider.System);
        await using var app = await ProcessingApp.StartAsync(stack, new ProcessingAppOptions { Provider = provider });
        var first = new ProcessingTestContext(app);
        var second = new ProcessingTestContext(app);
        await first.RegisterAsync(Granted);
        await second.RegisterAsync(Granted);
        var handle = "ada-" + Guid.NewGuid().ToString("N")[..10];
        var firstPerson = await first.AddPersonAsync(TestNames.UniqueFullName(), "example.com", $"https://www.linkedin.com/in/{handle}/");
        var secondPerson = await second.AddPersonAsync(TestNames.UniqueFullName(), "example.org", $"http://de.linkedin.com/in/{handle.ToUpperInvariant()}?trk=public");

        var firstRecord = await first.StartAsync(firstPerson, EnrichmentField.Phones);
        await first.ProcessAsync(firstRecord.Id);
        var secondRecord = await second.StartAsync(secondPerson, EnrichmentField.Phones);
        await second.ProcessAsync(secondRecord.Id);

        Assert.Equal(1, provider.Calls);
        var secondDone = await second.RecordAsync(secondRecord.Id);
        Assert.True(secondDone.DataFound);
        Assert.Equal((await first.RecordAsync(firstRecord.Id)).GlobalEnrichmentId, secondDone.GlobalEnrichmentId);
        Assert.Equal(["+14155550187"], (await second.PersonAsync(secondPerson)).Phones.Select(phone => phone.Number));
        await second.AssertSettledAsync(Granted, (secondRecord.Id, 10));
        await AssertCannotSeeAsync(app, viewer: second, owner: first, firstPerson);
    }

    private static async Task AssertHoldsNoIdsAsync(RunningApp app, string globalId, ProcessingTestContext first, ProcessingTestContext second, params string[] ids)
    {
        var store = (CosmosStore)app.Services.GetService(typeof(CosmosStore))!;
        using var response = await store.GlobalResults.ReadItemStreamAsync(globalId, new PartitionKey(globalId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(response.Content);
        var text = await reader.ReadToEndAsync();
        string[] forbidden = [first.OrgId, second.OrgId, first.UserId, second.UserId, .. ids];
        Assert.All(forbidden, id => Assert.DoesNotContain(id, text, StringComparison.OrdinalIgnoreCase));
        var members = JsonDocument.Parse(text).RootElement.EnumerateObject().Select(member => member.Name).Where(name => !name.StartsWith('_'));
        Assert.Equal(["emails", "field", "id", "phones", "updatedAt"], members.Order(StringComparer.Ordinal));
    }

    /// <summary>The viewer's GET and batch query treat the owner's person as unknown.</summary>
    private async Task AssertCannotSeeAsync(RunningApp app, ProcessingTestContext viewer, ProcessingTestContext owner, string ownerPersonId)
    {
        foreach (var field in new[] { "emails", "phones" })
        {
            using var get = await SendAsync(app, viewer, HttpMethod.Get, $"api/v1/operations/enrichment/{ownerPersonId}?field={field}", null);
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        var body = JsonSerializer.Serialize(new { tasks = new[] { new { entityId = ownerPersonId, field = "emails" }, new { entityId = ownerPersonId, field = "phones" } } });
        using var query = await SendAsync(app, viewer, HttpMethod.Post, "api/v1/operations/enrichment/batch/query", body);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(0, (await ApiTestContext.ReadJsonAsync(query)).GetArrayLength());

        // The owner does see it, so the 404 above is isolation, not a missing record.
        using var own = await SendAsync(app, owner, HttpMethod.Post, "api/v1/operations/enrichment/batch/query", body);
        Assert.Equal(1, (await ApiTestContext.ReadJsonAsync(own)).GetArrayLength());
    }

    private async Task<HttpResponseMessage> SendAsync(RunningApp app, ProcessingTestContext caller, HttpMethod method, string route, string? body)
    {
        using var request = new HttpRequestMessage(method, route);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", stack.CreateToken(caller.OrgId, caller.UserId));
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return await app.Client.SendAsync(request);
    }
}
