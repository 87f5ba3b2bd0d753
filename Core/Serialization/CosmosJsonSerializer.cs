using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace ContactEnrichment.Core.Serialization;

/// <summary>
/// Serializes Cosmos DB documents with System.Text.Json and <see cref="JsonDefaults"/>. The SDK's
/// default Newtonsoft serializer rewrites ISO-looking strings into local time, which would break
/// the fixed-width UTC timestamps that queries compare as text.
/// </summary>
public sealed class CosmosJsonSerializer : CosmosSerializer
{
    public override T FromStream<T>(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (stream)
        {
            if (typeof(Stream).IsAssignableFrom(typeof(T)))
            {
                return (T)(object)stream;
            }

            return JsonSerializer.Deserialize<T>(stream, JsonDefaults.Options)!;
        }
    }

    public override Stream ToStream<T>(T input)
    {
        var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, input, JsonDefaults.Options);
        stream.Position = 0;
        return stream;
    }
}
