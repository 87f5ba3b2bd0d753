using System.Net;

namespace ContactEnrichment.DevHost.Configuration;

/// <summary>An <c>http://</c> address on the loopback interface, the only kind DevHost listens on.</summary>
public sealed record LoopbackUrl(IPAddress? Address, int Port)
{
    /// <summary>Parses <paramref name="url"/> such as <c>http://127.0.0.1:7071</c>; port 0 picks a free port.</summary>
    /// <exception cref="DevHostConfigurationException">
    /// The URL is not absolute http, has a path, or its host is not a loopback address or
    /// <c>localhost</c>.
    /// </exception>
    public static LoopbackUrl Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new DevHostConfigurationException($"'{url}' is not an http:// URL; use for example http://127.0.0.1:7071.");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new DevHostConfigurationException($"'{url}' has a path or query; give only scheme, host and port, e.g. http://127.0.0.1:7071.");
        }

        if (uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns)
        {
            return uri.Port == 0
                ? throw new DevHostConfigurationException($"'{url}': port 0 needs an IP address; use http://127.0.0.1:0.")
                : new LoopbackUrl(null, uri.Port);
        }

        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))
        {
            return new LoopbackUrl(address, uri.Port);
        }

        throw new DevHostConfigurationException(
            $"'{url}' is not a loopback address. DevHost has no authorization levels or TLS, so it listens on loopback only; use http://127.0.0.1:PORT.");
    }

    public override string ToString() =>
        Address is null ? $"http://localhost:{Port}" : $"http://{new IPEndPoint(Address, Port)}";
}
