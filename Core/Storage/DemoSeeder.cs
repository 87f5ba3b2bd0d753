using Microsoft.Extensions.Logging;
using ContactEnrichment.Core.Credits;
using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Organizations;
using ContactEnrichment.Core.Persons;

namespace ContactEnrichment.Core.Storage;

/// <summary>
/// Seeds the demo organization that the README's example request uses. Running it again changes
/// nothing: persons are upserted and the credit grant has a fixed id.
/// </summary>
public sealed partial class DemoSeeder(
    PersonRepository persons,
    CreditService credits,
    OrganizationRegistry organizations,
    TimeProvider timeProvider,
    ILogger<DemoSeeder> logger)
{
    public const string OrganizationId = "org_xyz789";
    public const string UserId = "user_abc123";
    public const string JaneDoeId = "550e8400-e29b-41d4-a716-446655440000";
    public const string JohnSmithId = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    public const long Credits = 10_000;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await organizations.RegisterAsync(OrganizationId, cancellationToken);
        await credits.GrantAsync(OrganizationId, "demo-seed", Credits, cancellationToken);

        var now = timeProvider.GetUtcNow();
        foreach (var person in DemoPersons(now))
        {
            if (await persons.FindAsync(OrganizationId, person.Id, cancellationToken) is null)
            {
                await persons.UpsertAsync(person, cancellationToken);
            }
        }

        Log.Seeded(logger, OrganizationId);
    }

    private static IEnumerable<PersonDocument> DemoPersons(DateTimeOffset now)
    {
        yield return new PersonDocument
        {
            Id = JaneDoeId,
            OrgId = OrganizationId,
            FirstName = "Jane",
            LastName = "Doe",
            FullName = "Jane Doe",
            CompanyName = "Example Corp",
            CompanyDomain = "example.com",
            LinkedinUrl = "https://www.linkedin.com/in/jane-doe-example",
            Title = "Head of Sales",
            Location = "Austin, TX, US",
            CreatedAt = now,
            UpdatedAt = now,
        };
        yield return new PersonDocument
        {
            Id = JohnSmithId,
            OrgId = OrganizationId,
            FirstName = "John",
            LastName = "Smith",
            FullName = "John Smith",
            CompanyName = "Example Org",
            CompanyDomain = "example.org",
            Title = "Recruiter",
            Location = "Denver, CO, US",
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(5002, LogLevel.Information, "Seeded demo organization {OrgId}")]
        public static partial void Seeded(ILogger logger, string orgId);
    }
}
