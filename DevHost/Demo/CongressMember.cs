namespace ContactEnrichment.DevHost.Demo;

/// <summary>An office phone number as the source writes it, with a label such as <c>Washington office</c>.</summary>
public sealed record OfficePhone(string Number, string Label);

/// <summary>A current member of Congress, shaped as a person of the API and an entry of the directory file.</summary>
public sealed record CongressMember(
    string Bioguide,
    string PersonId,
    string FirstName,
    string LastName,
    string FullName,
    string CompanyName,
    string CompanyDomain,
    string Title,
    string Location,
    IReadOnlyList<OfficePhone> Phones);
