namespace ContactEnrichment.Core.Domain;

/// <summary>A work email address, lower-cased, with the provider that found it.</summary>
public sealed record ContactEmail(string Address, string Provider, DateTimeOffset FoundAt);

/// <summary>
/// A phone number in E.164 form with its line type (<c>mobile</c>, <c>fixed_line</c>,
/// <c>voip</c>, ...) when the numbering plan tells it, and the provider that found it.
/// </summary>
public sealed record ContactPhone(string Number, string? LineType, string Provider, DateTimeOffset FoundAt)
{
    /// <summary>The source's description of the number, such as <c>Washington office</c>, when it gives one.</summary>
    public string? Label { get; init; }
}

/// <summary>The normalized contact data one lookup produced.</summary>
public sealed record ContactData(IReadOnlyList<ContactEmail> Emails, IReadOnlyList<ContactPhone> Phones)
{
    public static ContactData Empty { get; } = new([], []);

    public bool IsEmpty => Emails.Count == 0 && Phones.Count == 0;

    /// <summary>Returns the part of the data that belongs to <paramref name="field"/>.</summary>
    public ContactData For(EnrichmentField field) =>
        field == EnrichmentField.Emails ? new ContactData(Emails, []) : new ContactData([], Phones);
}
