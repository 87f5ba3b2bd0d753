using System.Net;
using System.Text.Json;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Persons;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Http;

[Collection(LocalStackDefinition.Name)]
public sealed class PersonRoutesTests(LocalStackFixture stack) : IAsyncLifetime
{
    private const string Valid = "550e8400-e29b-41d4-a716-446655440000";
    private const string Route = "api/v1/entities/persons";
    private RunningApp app = null!;

    private static string One(string members) => $"{{\"persons\":[{{\"id\":\"{Valid}\",{members}}}]}}";

    /// <summary>Body and the member the 400 must name.</summary>
    public static TheoryData<string, string> MalformedImports => new()
    {
        { "{persons:", "body" },
        { "", "body" },
        { "[]", "body" },
        { "42", "body" },
        { "{}", "persons" },
        { "{\"persons\":null}", "persons" },
        { "{\"persons\":{}}", "persons" },
        { "{\"persons\":[]}", "persons" },
        { $"{{\"persons\":[{string.Join(",", Enumerable.Range(0, 1001).Select(_ => $"{{\"id\":\"{Guid.NewGuid()}\",\"fullName\":\"A B\"}}"))}]}}", "persons" },
        { "{\"persons\":[\"Jane Doe\"]}", "persons[0]" },
        { "{\"persons\":[null]}", "persons[0]" },
        { "{\"persons\":[{\"fullName\":\"Jane Doe\"}]}", "persons[0].id" },
        { "{\"persons\":[{\"id\":42,\"fullName\":\"Jane Doe\"}]}", "persons[0].id" },
        { "{\"persons\":[{\"id\":\"nope\",\"fullName\":\"Jane Doe\"}]}", "persons[0].id" },
        { "{\"persons\":[{\"id\":\"00000000-0000-0000-0000-000000000000\",\"fullName\":\"Jane Doe\"}]}", "persons[0].id" },
        { "{\"persons\":[{\"id\":\"{550e8400-e29b-41d4-a716-446655440000}\",\"fullName\":\"Jane Doe\"}]}", "persons[0].id" },
        { $"{{\"persons\":[{{\"id\":\"{Valid}\",\"fullName\":\"A\"}},{{\"id\":\"{Valid.ToUpperInvariant()}\",\"fullName\":\"B\"}}]}}", "persons[1].id" },
        { One("\"companyName\":\"Example\""), "persons[0].fullName" },
        { One("\"firstName\":\"Jane\""), "persons[0].fullName" },
        { One("\"fullName\":\"   \""), "persons[0].fullName" },
        { One("\"fullName\":7"), "persons[0].fullName" },
        { One($"\"fullName\":\"{new string('a', 301)}\""), "persons[0].fullName" },
        { One("\"fullName\":\"Jane\\u0007Doe\""), "persons[0].fullName" },
        { One("\"fullName\":\"Jane Doe\",\"companyDomain\":\"https://example.com/about\""), "persons[0].companyDomain" },
        { One("\"fullName\":\"Jane Doe\",\"companyDomain\":\"localhost\""), "persons[0].companyDomain" },
        { One("\"fullName\":\"Jane Doe\",\"linkedinUrl\":\"https://example.com/in/jane\""), "persons[0].linkedinUrl" },
        { One("\"fullName\":\"Jane Doe\",\"linkedinUrl\":\"linkedin.com/in/jane\""), "persons[0].linkedinUrl" },
        { One("\"fullName\":\"Jane Doe\",\"title\":[\"CEO\"]"), "persons[0].title" },
        { One("\"fullName\":\"Jane Doe\",\"location\":{}"), "persons[0].location" },
        { One("\"fullName\":\"Jane Doe\",\"externalIds\":[\"a\"]"), "persons[0].externalIds" },
        { One("\"fullName\":\"Jane Doe\",\"externalIds\":{\"crm\":1}"), "persons[0].externalIds" },
        { One("\"fullName\":\"Jane Doe\",\"externalIds\":{\"\":\"x\"}"), "persons[0].externalIds" },
        { One($"\"fullName\":\"Jane Doe\",\"externalIds\":{{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"k{i}\":\"v\""))}}}"), "persons[0].externalIds" },
        { $"{{\"persons\":[{{\"id\":\"{Valid}\",\"fullName\":\"Jane Doe\",\"padding\":\"{new string('x', 1_100_000)}\"}}]}}", "body" },
    };

    public async Task InitializeAsync() => app = await stack.StartAppAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [MemberData(nameof(MalformedImports))]
    public async Task Import_MalformedBody_Returns400NamingMember(string body, string member)
    {
        var context = new ApiTestContext(stack, app);

        using var response = await context.PostAsync(Route, body);
        var problem = await ApiTestContext.ReadJsonAsync(response);
        using var lookup = await context.SendAsync(HttpMethod.Get, $"{Route}/{Valid}", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("VALIDATION_ERROR", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(member, out var messages), $"errors lack {member}: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Import_ValidPersons_StoresThemAsWritten()
    {
        var context = new ApiTestContext(stack, app);
        var id = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(new
        {
            persons = new object[]
            {
                new
                {
                    id = id.ToUpperInvariant(), firstName = "José", lastName = "Núñez", fullName = "José Núñez Jr.",
                    companyName = "Example Nonprofit", companyDomain = "WWW.Example.org", title = "Director",
                    linkedinUrl = "https://www.linkedin.com/in/jose-nunez-example", location = "Chicago, IL",
                    externalIds = new Dictionary<string, string> { ["bioguide"] = "N000001" }, unknownMember = 1,
                },
                new { id = Guid.NewGuid().ToString(), firstName = "Ada", lastName = "Lovelace" },
            },
        });

        using var response = await context.PostAsync(Route, body);
        var result = await ApiTestContext.ReadJsonAsync(response);
        using var lookup = await context.SendAsync(HttpMethod.Get, $"{Route}/{id}", null);
        var person = await ApiTestContext.ReadJsonAsync(lookup);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.Equal(0, result.GetProperty("updated").GetInt32());
        Assert.Equal(id, result.GetProperty("createdIds")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal(id, person.GetProperty("id").GetString());
        Assert.Equal("José Núñez Jr.", person.GetProperty("fullName").GetString());
        Assert.Equal("example.org", person.GetProperty("companyDomain").GetString());
        Assert.Equal("N000001", person.GetProperty("externalIds").GetProperty("bioguide").GetString());
        Assert.Equal(0, person.GetProperty("emails").GetArrayLength());
        Assert.Equal(0, person.GetProperty("phones").GetArrayLength());
    }

    [Fact]
    public async Task Import_FirstAndLastNameOnly_JoinsFullName()
    {
        var context = new ApiTestContext(stack, app);
        var id = Guid.NewGuid().ToString();

        using var response = await context.PostAsync(Route, $"{{\"persons\":[{{\"id\":\"{id}\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}}]}}");
        var person = await context.Service<PersonRepository>().FindAsync(context.OrgId, id, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Ada Lovelace", person?.FullName);
    }

    [Fact]
    public async Task Import_SameRequestTwice_KeepsContacts()
    {
        var context = new ApiTestContext(stack, app);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString()).ToList();
        var body = JsonSerializer.Serialize(new { persons = ids.Select(id => new { id, fullName = "Person " + id[..8], companyDomain = "example.com" }) });
        using var first = await context.PostAsync(Route, body);
        var phone = new ContactPhone("+12022243441", "fixed_line", "directory", TimeProvider.System.GetUtcNow());
        await context.Service<PersonRepository>().MergeContactsAsync(context.OrgId, ids[0], new ContactData([], [phone]), null, CancellationToken.None);

        using var second = await context.PostAsync(Route, body);
        var result = await ApiTestContext.ReadJsonAsync(second);
        using var lookup = await context.SendAsync(HttpMethod.Get, $"{Route}/{ids[0]}", null);
        var person = await ApiTestContext.ReadJsonAsync(lookup);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(0, result.GetProperty("created").GetInt32());
        Assert.Equal(3, result.GetProperty("updated").GetInt32());
        Assert.Equal(ids, result.GetProperty("updatedIds").EnumerateArray().Select(item => item.GetString()!).ToList());
        Assert.Equal("+12022243441", person.GetProperty("phones")[0].GetProperty("number").GetString());
        Assert.Equal(3, await CountPersonsAsync(context));
    }

    [Fact]
    public async Task Get_UnknownOrForeignPerson_Returns404()
    {
        var owner = new ApiTestContext(stack, app);
        var foreign = (await owner.SeedPersonsAsync(1, 0))[0];
        var caller = new ApiTestContext(stack, app);

        foreach (var id in new[] { foreign, Guid.NewGuid().ToString() })
        {
            using var response = await caller.SendAsync(HttpMethod.Get, $"{Route}/{id}", null);
            var problem = await ApiTestContext.ReadJsonAsync(response);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("NOT_FOUND", problem.GetProperty("code").GetString());
        }
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("550e8400e29b41d4a716446655440000")]
    public async Task Get_MalformedId_Returns400NamingPersonId(string id)
    {
        var context = new ApiTestContext(stack, app);

        using var response = await context.SendAsync(HttpMethod.Get, $"{Route}/{id}", null);
        var problem = await ApiTestContext.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("personId", out _));
    }

    [Fact]
    public async Task Import_SameIdsInTwoOrganizations_StaySeparate()
    {
        var first = new ApiTestContext(stack, app);
        var second = new ApiTestContext(stack, app);
        var id = Guid.NewGuid().ToString();

        using var one = await first.PostAsync(Route, $"{{\"persons\":[{{\"id\":\"{id}\",\"fullName\":\"First Org Person\"}}]}}");
        using var two = await second.PostAsync(Route, $"{{\"persons\":[{{\"id\":\"{id}\",\"fullName\":\"Second Org Person\"}}]}}");
        var created = await ApiTestContext.ReadJsonAsync(two);
        using var lookup = await first.SendAsync(HttpMethod.Get, $"{Route}/{id}", null);

        Assert.Equal(1, created.GetProperty("created").GetInt32());
        Assert.Equal("First Org Person", (await ApiTestContext.ReadJsonAsync(lookup)).GetProperty("fullName").GetString());
    }

    private static async Task<int> CountPersonsAsync(ApiTestContext context)
    {
        var query = new Microsoft.Azure.Cosmos.QueryDefinition("SELECT VALUE c.id FROM c WHERE c.orgId = @orgId")
            .WithParameter("@orgId", context.OrgId);
        var store = context.Service<ContactEnrichment.Core.Storage.CosmosStore>();
        var ids = await ContactEnrichment.Core.Storage.ContainerExtensions.QueryAllAsync<string>(store.Persons, query, context.OrgId, CancellationToken.None);
        return ids.Count;
    }
}
