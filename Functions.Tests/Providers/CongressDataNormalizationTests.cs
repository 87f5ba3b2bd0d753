using ContactEnrichment.Core.Domain;
using ContactEnrichment.Core.Providers;
using ContactEnrichment.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using YamlDotNet.RepresentationModel;

namespace ContactEnrichment.Functions.Tests.Providers;

/// <summary>
/// Normalization against real, public-domain (CC0) input: the congress-legislators project's
/// lists of current members and their offices, with real office numbers and Unicode names.
/// </summary>
public sealed class CongressDataNormalizationTests
{
    // The district-offices file lists this number, whose area code 200 is not assigned.
    private static readonly HashSet<string> KnownInvalidNumbers = ["200-226-9739"];

    [SharedDataFact("congress-legislators")]
    public void OfficePhones_Normalize_ToUsE164()
    {
        var normalizer = new ContactNormalizer(Options.Create(new ProvidersOptions()), new FakeTimeProvider());
        var numbers = ScalarsNamed("legislators-current.yaml", "phone")
            .Concat(ScalarsNamed("legislators-district-offices.yaml", "phone"))
            .ToList();

        var invalid = numbers.Where(number => normalizer.NormalizePhoneNumber(number) is null).Distinct().ToList();
        var normalized = numbers.Select(number => normalizer.NormalizePhoneNumber(number)).OfType<PhoneNormalization>().ToList();

        Assert.True(numbers.Count > 2000, $"Only {numbers.Count} phone numbers were read.");
        Assert.All(invalid, number => Assert.Contains(number, KnownInvalidNumbers));
        Assert.All(normalized, phone => Assert.Matches("^\\+1[2-9][0-9]{9}$", phone.E164));
    }

    [SharedDataFact("congress-legislators")]
    public void OfficialNames_Normalize_ToPlainLatinWords()
    {
        var names = ScalarsNamed("legislators-current.yaml", "official_full").ToList();

        var normalized = names.Select(IdentityNormalizer.NormalizeName).ToList();

        Assert.True(names.Count > 500, $"Only {names.Count} names were read.");
        Assert.All(normalized, name => Assert.Matches("^[a-z0-9]+( [a-z0-9]+)+$", name));
        Assert.Contains("ben ray lujan", normalized);
    }

    private static IEnumerable<string> ScalarsNamed(string file, string key)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(DataPath(file)))
        {
            stream.Load(reader);
        }

        return stream.Documents.SelectMany(document => Scalars(document.RootNode, key));
    }

    private static IEnumerable<string> Scalars(YamlNode node, string key)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (name, value) in mapping.Children)
                {
                    if (name is YamlScalarNode { Value: var nameText } && nameText == key
                        && value is YamlScalarNode { Value: { Length: > 0 } text } && text != "~")
                    {
                        yield return text;
                    }

                    foreach (var nested in Scalars(value, key))
                    {
                        yield return nested;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var nested in sequence.Children.SelectMany(child => Scalars(child, key)))
                {
                    yield return nested;
                }

                break;
        }
    }

    private static string DataPath(string file) =>
        Path.Combine(SharedDataFactAttribute.SharedDataPath("congress-legislators"), file);
}
