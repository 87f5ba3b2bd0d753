using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;
using ContactEnrichment.Core.Auth;
using ContactEnrichment.Core.Storage;
using ContactEnrichment.Functions.Tests.Http;
using ContactEnrichment.Functions.Tests.Infrastructure;

namespace ContactEnrichment.Functions.Tests.Reliability;

/// <summary>
/// Feeds generated bad requests to every route: bodies, headers, route values and tokens from a
/// seeded random generator. Every input is bad in at least one way by construction, so none may
/// get a 5xx and none may change the organization's data.
/// </summary>
[Collection(LocalStackDefinition.Name)]
public sealed class BadInputTests(LocalStackFixture stack, ITestOutputHelper output)
{
    private const int Seed = 20261204;

    private static readonly string[] Fields = ["emails", "phones"];

    [Fact]
    public async Task GeneratedBadInput_EveryRoute_NoServerErrorOrWrite()
    {
        var inputs = ReliabilityRun.Full ? 20_000 : 2_500;
        await using var app = await stack.StartAppAsync();
        var context = new ApiTestContext(stack, app);
        var persons = await context.SeedPersonsAsync(5, credits: 100);
        using var started = await context.StartBatchAsync(persons.Take(2), "emails");
        Assert.True(started.IsSuccessStatusCode);
        var before = await SnapshotAsync(context);

        var generator = new BadInputGenerator(new Random(Seed), stack, context, persons);
        var byStatus = new SortedDictionary<int, int>();
        var serverErrors = new List<string>();
        for (var i = 0; i < inputs; i++)
        {
            var input = generator.Next();
            using var request = input.ToRequest();
            using var response = await app.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
            if (status >= 500 && serverErrors.Count < 10)
            {
                serverErrors.Add($"{input.Describe()} -> {status} {await response.Content.ReadAsStringAsync()}");
            }
        }

        var after = await SnapshotAsync(context);
        var figures = $"{inputs} generated inputs (seed {Seed}) over 8 routes; statuses " +
            $"{string.Join(", ", byStatus.Select(s => $"{s.Key}: {s.Value}"))}; data changed: {(before == after ? "no" : "yes")}";
        output.WriteLine(figures);
        ReliabilityRun.Report(nameof(BadInputTests), figures);
        Assert.Empty(serverErrors);
        Assert.Equal(before, after);
    }

    private static async Task<string> SnapshotAsync(ApiTestContext context)
    {
        var store = context.Service<CosmosStore>();
        var query = new QueryDefinition("SELECT * FROM c WHERE c.orgId = @orgId").WithParameter("@orgId", context.OrgId);
        var parts = new List<string>();
        foreach (var container in new[] { store.Persons, store.Enrichments, store.Credits })
        {
            var documents = await container.QueryAllAsync<JsonElement>(query, context.OrgId, CancellationToken.None);
            parts.AddRange(documents.Select(d => d.GetProperty("id").GetString() + ":" + d.GetProperty("_etag").GetString()).Order(StringComparer.Ordinal));
        }

        return string.Join("\n", parts);
    }

    private sealed record BadInput(HttpMethod Method, string Path, string? Body, string? ContentType, string? Authorization, string Defect)
    {
        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(Method, Path);
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
                if (ContentType is not null && MediaTypeHeaderValue.TryParse(ContentType, out var mediaType))
                {
                    request.Content.Headers.ContentType = mediaType;
                }
            }

            if (Authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", Authorization);
            }

            return request;
        }

        public string Describe() => $"{Method} {Path} [{Defect}] body {(Body is null ? "none" : Body[..Math.Min(Body.Length, 200)])}";
    }

    private sealed class BadInputGenerator(Random random, LocalStackFixture stack, ApiTestContext context, IReadOnlyList<string> persons)
    {
        private readonly string validToken = stack.CreateToken(context.OrgId, context.UserId);
        private readonly string wrongKeyToken = SignedToken(context.OrgId, RandomKey(), expires: TimeSpan.FromHours(1));
        private readonly string expiredToken = SignedToken(context.OrgId, stack.SigningKey, expires: TimeSpan.FromHours(-2));
        private readonly string noOrgToken = SignedToken(null, stack.SigningKey, expires: TimeSpan.FromHours(1));

        public BadInput Next()
        {
            var (method, path, needsBody) = Route();
            var auth = random.Next(3) == 0 ? ValidBearer() : BadAuthorization();
            var body = auth.Valid ? BadBody(path) : AnyBody(path);
            var contentType = Pick("application/json", "application/json", "text/plain", "application/xml", "", "application/json; charset=latin1");
            return new BadInput(method, path, needsBody || random.Next(4) == 0 ? body.Text : null, contentType, auth.Header,
                auth.Valid ? body.Defect : auth.Defect);
        }

        private (HttpMethod Method, string Path, bool NeedsBody) Route()
        {
            var id = RouteValue();
            var field = Uri.EscapeDataString(Pick([.. Fields, "", "EMAILS", "names", "emails,phones", "%00", Garbage(8)]));
            return random.Next(8) switch
            {
                0 => (HttpMethod.Post, "api/v1/operations/enrichment/batch", true),
                1 => (HttpMethod.Post, $"api/v1/operations/enrichment/{id}", true),
                2 => (HttpMethod.Get, $"api/v1/operations/enrichment/{id}?field={field}", false),
                3 => (HttpMethod.Post, "api/v1/operations/enrichment/batch/query", true),
                4 => (HttpMethod.Post, $"api/v1/operations/enrichment/{id}/cancel?field={field}", false),
                5 => (HttpMethod.Get, "api/v1/operations/credits/balance", false),
                6 => (HttpMethod.Post, "api/v1/entities/persons", true),
                _ => (HttpMethod.Get, $"api/v1/entities/persons/{id}", false),
            };
        }

        /// <summary>Route ids that name no person of the organization: unknown UUIDs or malformed ones.</summary>
        private string RouteValue() => random.Next(6) switch
        {
            0 => Guid.NewGuid().ToString(),
            1 => Guid.NewGuid().ToString().ToUpperInvariant(),
            2 => "{" + Guid.NewGuid() + "}",
            3 => "00000000-0000-0000-0000-000000000000",
            4 => Uri.EscapeDataString(Garbage(random.Next(1, 40))),
            _ => Guid.NewGuid().ToString("N"),
        };

        private (string? Header, bool Valid, string Defect) ValidBearer() => ("Bearer " + validToken, true, "");

        private (string? Header, bool Valid, string Defect) BadAuthorization() => random.Next(9) switch
        {
            0 => (null, false, "no token"),
            1 => ("Bearer", false, "empty bearer"),
            2 => ("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:pass")), false, "basic auth"),
            3 => ("Bearer " + AsciiGarbage(random.Next(1, 300)), false, "garbage token"),
            4 => ("Bearer " + wrongKeyToken, false, "wrong signing key"),
            5 => ("Bearer " + expiredToken, false, "expired token"),
            6 => ("Bearer " + noOrgToken, false, "token without organization"),
            7 => ("Bearer " + UnsignedToken(context.OrgId), false, "alg none"),
            _ => ("Bearer " + Tamper(validToken), false, "tampered token"),
        };

        /// <summary>A body that is invalid for a writing route by construction; reads may get anything.</summary>
        private (string Text, string Defect) BadBody(string path)
        {
            if (path.EndsWith("/persons", StringComparison.Ordinal))
            {
                return random.Next(6) switch
                {
                    0 => (Garbage(random.Next(0, 200)), "not JSON"),
                    1 => (Pick("null", "[]", "42", "\"persons\"", "true", "{}"), "not an object with persons"),
                    2 => ("{\"persons\":" + Pick("[]", "{}", "\"x\"", "[1,2]", "[null]", "[[]]") + "}", "persons malformed"),
                    3 => ("{\"persons\":[" + PersonJson(Guid.NewGuid().ToString()) + "," + PersonJson(Pick("not-a-uuid", "", "{" + Guid.NewGuid() + "}")) + "]}",
                        "one person with a bad id"),
                    4 => ("{\"persons\":[" + string.Join(",", Enumerable.Range(0, 1001).Select(_ => PersonJson(Guid.NewGuid().ToString()))) + "]}",
                        "too many persons"),
                    _ => ("{\"persons\":[" + PersonJson(Guid.NewGuid().ToString()) + "]" + Garbage(3) + "}", "truncated JSON"),
                };
            }

            if (path.EndsWith("/batch", StringComparison.Ordinal) || path.EndsWith("/batch/query", StringComparison.Ordinal))
            {
                return random.Next(7) switch
                {
                    0 => (Garbage(random.Next(0, 200)), "not JSON"),
                    1 => (Pick("null", "[]", "7", "\"x\"", "{}"), "not an object"),
                    2 => (Batch(Ids(random.Next(1, 20)).Append(Pick("abc", "", "00000000-0000-0000-0000-000000000000", "urn:uuid:" + Guid.NewGuid())), Pick(Fields)), "a malformed id"),
                    3 => (Batch(Ids(random.Next(1, 20)), Pick("", "names", "EMAIL", "null")), "a bad field"),
                    4 => (Batch(Ids(random.Next(101, 150)), Pick(Fields)), "more than 100 ids"),
                    5 => (Batch(Ids(random.Next(1, 20)), Pick(Fields)), "unknown persons"),
                    _ => ("{\"personIds\":[\"" + new string('a', 70_000) + "\"],\"field\":\"emails\"}", "over 64 KiB"),
                };
            }

            // The single-person routes: the route id names no person, whatever the body contains.
            return AnyBody(path);
        }

        private (string Text, string Defect) AnyBody(string path) => random.Next(5) switch
        {
            0 => (Garbage(random.Next(0, 100)), "random text"),
            1 => ("{\"field\":\"" + Pick([.. Fields, "x"]) + "\"}", "field only"),
            2 => (Batch(persons.Take(random.Next(1, persons.Count + 1)), Pick(Fields)), "known persons"),
            3 => ("{\"tasks\":[{\"entityId\":\"" + Pick([.. persons]) + "\",\"field\":\"emails\"}]}", "query"),
            _ => ("{\"persons\":[" + PersonJson(Guid.NewGuid().ToString()) + "]}", "a new person"),
        };

        private static IEnumerable<string> Ids(int count) => Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString());

        private static string Batch(IEnumerable<string> ids, string field) =>
            JsonSerializer.Serialize(new { personIds = ids, field });

        private string PersonJson(string id) =>
            JsonSerializer.Serialize(new { id, fullName = "Fuzz " + Garbage(6), companyDomain = "fuzz.example" });

        private string Garbage(int length)
        {
            const string alphabet = "abcXYZ019{}[]\":,\\/ \u00e9\u4e2d\u0000\t\n-_.~%+=<>'";
            return new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        }

        /// <summary>Printable ASCII only: HttpClient refuses other characters in headers before sending.</summary>
        private string AsciiGarbage(int length) =>
            new(Garbage(length).Select(c => c is >= ' ' and < (char)127 ? c : '~').ToArray());

        private string Tamper(string token)
        {
            var characters = token.ToCharArray();
            var index = random.Next(characters.Length);
            characters[index] = characters[index] == 'A' ? 'B' : 'A';
            return new string(characters);
        }

        private T Pick<T>(params T[] values) => values[random.Next(values.Length)];

        private static string RandomKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        private static string SignedToken(string? orgId, string base64Key, TimeSpan expires)
        {
            var now = DateTime.UnixEpoch.AddSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
            var claims = new Dictionary<string, object> { ["sub"] = "user_fuzz" };
            if (orgId is not null)
            {
                claims[LocalStackFixture.OrganizationClaim] = orgId;
            }

            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = LocalStackFixture.Issuer,
                Audience = LocalStackFixture.Audience,
                Claims = claims,
                IssuedAt = now.Add(expires).AddHours(-1),
                NotBefore = now.Add(expires).AddHours(-1),
                Expires = now.Add(expires),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(base64Key)), SecurityAlgorithms.HmacSha256),
            });
        }

        private static string UnsignedToken(string orgId)
        {
            static string Encode(string json) => Base64UrlEncoder.Encode(json);
            var exp = TimeProvider.System.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
            return Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
                Encode($"{{\"sub\":\"user_fuzz\",\"{LocalStackFixture.OrganizationClaim}\":\"{orgId}\",\"iss\":\"{LocalStackFixture.Issuer}\",\"aud\":\"{LocalStackFixture.Audience}\",\"exp\":{exp}}}") + ".";
        }
    }
}
