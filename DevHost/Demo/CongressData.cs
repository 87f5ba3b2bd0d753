using System.Globalization;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ContactEnrichment.DevHost.Demo;

/// <summary>
/// Reads <c>legislators-current.yaml</c> and <c>legislators-district-offices.yaml</c> of the
/// public-domain congress-legislators project into <see cref="CongressMember"/> values.
/// </summary>
public static class CongressData
{
    public const string CurrentFileName = "legislators-current.yaml";
    public const string OfficesFileName = "legislators-district-offices.yaml";

    /// <summary>
    /// The namespace of person ids: the version 5 UUID of the URL
    /// <c>https://github.com/unitedstates/congress-legislators#bioguide</c> in the RFC 9562 URL namespace.
    /// </summary>
    public static readonly Guid PersonIdNamespace = new("66611173-eb7e-5b98-b1d0-299829e2d729");

    /// <summary>Loads the members in file order.</summary>
    /// <exception cref="FileNotFoundException">A data file is missing from <paramref name="folder"/>.</exception>
    public static IReadOnlyList<CongressMember> Load(string folder)
    {
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build();
        var legislators = deserializer.Deserialize<List<Legislator>>(ReadFile(folder, CurrentFileName));
        var offices = deserializer.Deserialize<List<OfficeList>>(ReadFile(folder, OfficesFileName))
            .Where(list => list.Id?.Bioguide is not null)
            .ToDictionary(list => list.Id!.Bioguide!, list => list.Offices ?? [], StringComparer.Ordinal);

        return legislators
            .Where(legislator => legislator.Id?.Bioguide is not null && legislator.Terms is { Count: > 0 })
            .Select(legislator => ToMember(legislator, offices.GetValueOrDefault(legislator.Id!.Bioguide!) ?? []))
            .ToList();
    }

    /// <summary>Returns a member's full name as written: <c>official_full</c>, else first (or nickname), last and suffix.</summary>
    public static string FullNameOf(string first, string last, string? officialFull, string? nickname, string? suffix)
    {
        if (!string.IsNullOrWhiteSpace(officialFull))
        {
            return officialFull.Trim();
        }

        var given = string.IsNullOrWhiteSpace(nickname) ? first : nickname;
        var name = $"{given} {last}";
        return string.IsNullOrWhiteSpace(suffix) ? name : $"{name} {suffix}";
    }

    private static string ReadFile(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException($"The congress-legislators file {name} is missing from {Path.GetFullPath(folder)}.", path);
    }

    private static CongressMember ToMember(Legislator legislator, List<Office> offices)
    {
        var bioguide = legislator.Id!.Bioguide!;
        var name = legislator.Name ?? new Name();
        var term = legislator.Terms![^1];
        var senate = term.Type == "sen";
        var first = name.First ?? "";
        var last = name.Last ?? "";

        var phones = new List<OfficePhone>();
        if (!string.IsNullOrWhiteSpace(term.Phone))
        {
            phones.Add(new OfficePhone(term.Phone.Trim(), "Washington office"));
        }

        phones.AddRange(offices
            .Where(office => !string.IsNullOrWhiteSpace(office.Phone))
            .Select(office => new OfficePhone(office.Phone!.Trim(), $"{office.City ?? office.State ?? "District"} district office")));

        return new CongressMember(
            bioguide,
            NameBasedUuid.Create(PersonIdNamespace, bioguide),
            first,
            last,
            FullNameOf(first, last, name.OfficialFull, name.Nickname, name.Suffix),
            senate ? "United States Senate" : "United States House of Representatives",
            DomainOf(term.Url) ?? (senate ? "senate.gov" : "house.gov"),
            senate ? $"Senator for {term.State}" : DistrictTitle(term),
            term.State ?? "",
            phones);
    }

    private static string DistrictTitle(Term term) =>
        term.District is null or 0
            ? $"Representative for {term.State} (at large)"
            : string.Create(CultureInfo.InvariantCulture, $"Representative for {term.State}-{term.District}");

    private static string? DomainOf(string? url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = uri.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    private sealed class Legislator
    {
        public Ids? Id { get; set; }

        public Name? Name { get; set; }

        public List<Term>? Terms { get; set; }
    }

    private sealed class Ids
    {
        public string? Bioguide { get; set; }
    }

    private sealed class Name
    {
        public string? First { get; set; }

        public string? Last { get; set; }

        public string? OfficialFull { get; set; }

        public string? Nickname { get; set; }

        public string? Suffix { get; set; }
    }

    private sealed class Term
    {
        public string? Type { get; set; }

        public string? State { get; set; }

        public int? District { get; set; }

        public string? Url { get; set; }

        public string? Phone { get; set; }
    }

    private sealed class OfficeList
    {
        public Ids? Id { get; set; }

        public List<Office>? Offices { get; set; }
    }

    private sealed class Office
    {
        public string? City { get; set; }

        public string? State { get; set; }

        public string? Phone { get; set; }
    }
}
