using System.Globalization;

namespace ContactEnrichment.Bench;

/// <summary>Sizes of a bench run, from the command line: <c>--runs N</c>, <c>--output PATH</c>, <c>--clients 1,4,16</c>, <c>--processing N</c>.</summary>
internal sealed record BenchOptions
{
    public int Runs { get; init; } = 3;

    public string Output { get; init; } = "docs/benchmarks.md";

    public IReadOnlyList<int> ClientLevels { get; init; } = [1, 4, 16];

    public int ProcessingEnrichments { get; init; } = 1000;

    /// <summary>Processing stops being waited for after this; the figure is then what reached a terminal state.</summary>
    public TimeSpan ProcessingTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Batch requests per client at a level: enough for a percentile at one client, fewer at sixteen.</summary>
    public static int RequestsPerClient(int clients) => clients switch
    {
        1 => 8,
        <= 4 => 2,
        _ => 1,
    };

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var index = 0; index + 1 < args.Count; index += 2)
        {
            options = args[index] switch
            {
                "--runs" => options with { Runs = int.Parse(args[index + 1], CultureInfo.InvariantCulture) },
                "--output" => options with { Output = args[index + 1] },
                "--clients" => options with
                {
                    ClientLevels = args[index + 1].Split(',').Select(value => int.Parse(value, CultureInfo.InvariantCulture)).ToList(),
                },
                "--processing" => options with { ProcessingEnrichments = int.Parse(args[index + 1], CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{args[index]}'. Options: --runs N, --output PATH, --clients 1,4,16, --processing N."),
            };
        }

        return options;
    }
}
