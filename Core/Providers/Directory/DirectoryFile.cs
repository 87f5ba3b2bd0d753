using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactEnrichment.Core.Providers.Directory;

/// <summary>The JSON document the directory provider reads; README.md beside this file describes it.</summary>
internal sealed class DirectoryFile
{
    public const int SupportedVersion = 1;

    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public required int Version { get; init; }

    public required IReadOnlyList<DirectoryEntry> Entries { get; init; }
}

/// <summary>One person in the directory file.</summary>
internal sealed class DirectoryEntry
{
    public required string FullName { get; init; }

    public string? CompanyName { get; init; }

    public string? CompanyDomain { get; init; }

    public string? LinkedinUrl { get; init; }

    public IReadOnlyList<DirectoryEmail> Emails { get; init; } = [];

    public IReadOnlyList<DirectoryPhone> Phones { get; init; } = [];

    /// <summary>Where the entry came from, for people reading the file; never used for matching.</summary>
    public string? Source { get; init; }

    public IReadOnlyDictionary<string, string> ExternalIds { get; init; } = new Dictionary<string, string>();
}

internal sealed class DirectoryEmail
{
    public required string Address { get; init; }
}

internal sealed class DirectoryPhone
{
    public required string Number { get; init; }

    public string? Region { get; init; }

    public string? Label { get; init; }
}
