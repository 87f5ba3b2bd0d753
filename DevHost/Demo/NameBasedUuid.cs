using System.Security.Cryptography;
using System.Text;

namespace ContactEnrichment.DevHost.Demo;

/// <summary>Name-based UUIDs of version 5 (SHA-1), as RFC 9562 section 5.5 defines them.</summary>
public static class NameBasedUuid
{
    /// <summary>Returns the version 5 UUID of <paramref name="name"/> (UTF-8) in <paramref name="namespaceId"/>, lower case.</summary>
    public static string Create(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        // RFC 9562 hashes the namespace in network byte order, so both conversions are big-endian.
        var namespaceBytes = namespaceId.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[namespaceBytes.Length + nameBytes.Length];
        namespaceBytes.CopyTo(input, 0);
        nameBytes.CopyTo(input, namespaceBytes.Length);

#pragma warning disable CA5350 // RFC 9562 fixes SHA-1 for version 5, which names ids and protects nothing.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
