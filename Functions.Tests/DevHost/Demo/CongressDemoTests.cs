using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.DevHost.Demo;
using ContactEnrichment.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContactEnrichment.Functions.Tests.DevHost.Demo;

/// <summary>Runs the Congress demo end to end against the app in this process and checks its figures.</summary>
[Collection(LocalStackDefinition.Name)]
public sealed class CongressDemoTests(LocalStackFixture stack, ITestOutputHelper log) : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("congress-demo-");

    public void Dispose() => folder.Delete(recursive: true);

    [CongressDataFact]
    public async Task Demo_CongressData_FindsEveryValidOfficePhone()
    {
        var directoryFile = Path.Combine(folder.FullName, "congress-directory.json");
        await stack.ClearQueuesAsync();
        await using var app = await stack.StartAppAsync(new AppStartOptions
        {
            EnableQueueListeners = true,
            Settings = new Dictionary<string, string?> { ["Providers__Directory__Path"] = directoryFile },
        });
        var organizationId = "org_congress_" + Guid.NewGuid().ToString("N")[..8];
        var credits = (CreditService)app.Services.GetService(typeof(CreditService))!;
        using var output = new StringWriter();
        var demo = new CongressDemo(app.Client, () => stack.CreateToken(organizationId, "user_demo"),
            credits.GrantAsync, output, TimeProvider.System);

        var report = await demo.RunAsync(new CongressDemoOptions
        {
            DataFolder = CongressDataFolder.Path,
            DirectoryFile = directoryFile,
            OrganizationId = organizationId,
            EmailSampleSize = 25,
            PollInterval = TimeSpan.FromSeconds(2),
            PollTimeout = TimeSpan.FromSeconds(150),
        }, CancellationToken.None);
        log.WriteLine(output.ToString());

        var members = CongressData.Load(CongressDataFolder.Path);
        var normalizer = new ContactNormalizer(Options.Create(new ProvidersOptions()), new FakeTimeProvider());
        var withValidPhone = members.Count(member => member.Phones.Any(phone => normalizer.NormalizePhoneNumber(phone.Number) is not null));
        var lastLine = output.ToString().TrimEnd().Split('\n')[^1];
        using var printed = JsonDocument.Parse(lastLine);

        Assert.Equal(537, report.Persons);
        Assert.Equal(report.Persons, members.Count);
        Assert.Equal(0, report.Phones.Pending);
        Assert.Equal(0, report.Phones.Failed);
        Assert.Equal(0, report.Phones.Timeout);
        Assert.Equal(0, report.Phones.Cancelled);
        Assert.Equal(withValidPhone, report.Phones.Found);
        Assert.Equal(members.Count - withValidPhone, report.Phones.NotFound);
        Assert.Equal(0, report.Emails.Pending);
        Assert.Equal(0, report.Emails.Found);
        Assert.Equal(25, report.Emails.NotFound);
        Assert.Equal(10L * report.Phones.Found, report.CreditsExpected);
        Assert.Equal(report.CreditsExpected, report.CreditsCharged);
        Assert.Equal(organizationId, printed.RootElement.GetProperty("organizationId").GetString());
        Assert.Equal(report.Phones.Found, printed.RootElement.GetProperty("phones").GetProperty("found").GetInt32());
        Assert.Equal(report.CreditsCharged, printed.RootElement.GetProperty("creditsCharged").GetInt64());
        await AssertWashingtonOfficeInE164Async(app, members, organizationId);
    }

    private async Task AssertWashingtonOfficeInE164Async(RunningApp app, IReadOnlyList<CongressMember> members, string organizationId)
    {
        var member = Assert.Single(members, member => member.Phones.Any(phone => phone.Number == "202-224-3441"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/entities/persons/{member.PersonId}");
        request.Headers.Authorization = new("Bearer", stack.CreateToken(organizationId, "user_demo"));

        using var response = await app.Client.SendAsync(request);
        using var person = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var numbers = person.RootElement.GetProperty("phones").EnumerateArray().Select(phone => phone.GetProperty("number").GetString()).ToList();

        Assert.Equal(NameBasedUuid.Create(CongressData.PersonIdNamespace, member.Bioguide), member.PersonId);
        Assert.Contains("+12022243441", numbers);
    }
}
