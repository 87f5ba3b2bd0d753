using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactEnrichment.Core.Providers.Directory;

/// <summary>The directory as the provider sees it at one moment.</summary>
internal abstract record DirectoryState(string Path)
{
    public sealed record Loaded(string Path, DirectoryIndex Index) : DirectoryState(Path);

    public sealed record Missing(string Path) : DirectoryState(Path);

    public sealed record Invalid(string Path, string Error) : DirectoryState(Path);
}

/// <summary>
/// Loads the directory file and reloads it when it changes. Each lookup compares the file's
/// last write time and length with the loaded version, so an edited file is picked up by the
/// next lookup without a restart. A missing file is logged once per disappearance; an invalid
/// file is logged once per version of the file.
/// </summary>
internal sealed class DirectoryStore(
    IOptionsMonitor<DirectoryProviderOptions> options,
    ContactNormalizer normalizer,
    ILogger<DirectoryStore> logger,
    string? contentRoot) : IDisposable
{
    private const int MaxEntriesNamedInWarning = 10;

    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile CachedState? cached;

    public async Task<DirectoryState> GetAsync(CancellationToken cancellationToken)
    {
        var path = DirectoryPathResolver.Resolve(options.CurrentValue.Path, contentRoot);
        var fingerprint = FileFingerprint.Of(path);
        var current = cached;
        if (current is not null && current.IsFor(path, fingerprint))
        {
            return current.State;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            current = cached;
            if (current is not null && current.IsFor(path, fingerprint))
            {
                return current.State;
            }

            var state = fingerprint is null
                ? OnMissing(path, current)
                : await LoadAsync(path, cancellationToken);
            cached = new CachedState(path, fingerprint, state);
            return state;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private DirectoryState.Missing OnMissing(string path, CachedState? previous)
    {
        if (previous?.State is not DirectoryState.Missing missing || missing.Path != path)
        {
            Log.DirectoryFileMissing(logger, path);
        }

        return new DirectoryState.Missing(path);
    }

    private async Task<DirectoryState> LoadAsync(string path, CancellationToken cancellationToken)
    {
        DirectoryFile? file;
        try
        {
            await using var stream = File.OpenRead(path);
            file = await JsonSerializer.DeserializeAsync<DirectoryFile>(stream, DirectoryFile.SerializerOptions, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return OnMissing(path, null);
        }
        catch (JsonException exception)
        {
            return OnInvalid(path, $"it is not a valid directory document: {exception.Message}");
        }
        catch (IOException exception)
        {
            return OnInvalid(path, $"it could not be read: {exception.Message}");
        }
        catch (UnauthorizedAccessException exception)
        {
            return OnInvalid(path, $"it could not be read: {exception.Message}");
        }

        if (file is null)
        {
            return OnInvalid(path, "the document is the JSON literal null; expected an object with \"version\" and \"entries\"");
        }

        if (file.Version != DirectoryFile.SupportedVersion)
        {
            return OnInvalid(path, $"\"version\" is {file.Version}, but only version {DirectoryFile.SupportedVersion} is supported");
        }

        var blankName = file.Entries.Select((entry, index) => (entry, index)).FirstOrDefault(item => string.IsNullOrWhiteSpace(item.entry.FullName));
        if (blankName.entry is not null)
        {
            return OnInvalid(path, $"entry {blankName.index} has an empty \"fullName\"");
        }

        WarnAboutInvalidValues(path, file);
        var index = DirectoryIndex.Build(file);
        Log.DirectoryFileLoaded(logger, path, index.Count);
        return new DirectoryState.Loaded(path, index);
    }

    private DirectoryState.Invalid OnInvalid(string path, string reason)
    {
        var error = $"Directory file '{path}' is invalid because {reason}. Fix the file; it is reloaded on the next lookup.";
        Log.DirectoryFileInvalid(logger, path, error);
        return new DirectoryState.Invalid(path, error);
    }

    private void WarnAboutInvalidValues(string path, DirectoryFile file)
    {
        var invalidEmails = 0;
        var invalidPhones = 0;
        var affectedEntries = new List<int>();
        for (var index = 0; index < file.Entries.Count; index++)
        {
            var entry = file.Entries[index];
            var normalized = normalizer.Normalize(
                DirectoryProvider.ProviderName,
                entry.Emails.Select(email => new RawEmail(email.Address)),
                entry.Phones.Select(phone => new RawPhone(phone.Number, phone.Region, phone.Label)));
            if (normalized.InvalidEmails + normalized.InvalidPhones > 0)
            {
                invalidEmails += normalized.InvalidEmails;
                invalidPhones += normalized.InvalidPhones;
                affectedEntries.Add(index);
            }
        }

        if (affectedEntries.Count > 0)
        {
            var named = string.Join(", ", affectedEntries.Take(MaxEntriesNamedInWarning));
            Log.DirectoryFileHasInvalidValues(logger, path, invalidEmails, invalidPhones, affectedEntries.Count, named);
        }
    }

    private sealed record CachedState(string Path, FileFingerprint? Fingerprint, DirectoryState State)
    {
        public bool IsFor(string path, FileFingerprint? fingerprint) => Path == path && Fingerprint == fingerprint;
    }

    private sealed record FileFingerprint(DateTime LastWriteTimeUtc, long Length)
    {
        public static FileFingerprint? Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileFingerprint(info.LastWriteTimeUtc, info.Length) : null;
        }
    }
}
