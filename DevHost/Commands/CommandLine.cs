namespace ContactEnrichment.DevHost.Commands;

/// <summary>
/// A parsed DevHost command line: the command, its options, and the remaining
/// <c>--Name=Value</c> arguments, which are configuration settings.
/// </summary>
internal sealed record CommandLine(string Command, IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> Settings)
{
    public const string Serve = "serve";
    public const string Init = "init";
    public const string Token = "token";
    public const string Grant = "grant";
    public const string Demo = "demo";
    public const string Help = "help";

    private static readonly Dictionary<string, string[]> KnownOptions = new(StringComparer.Ordinal)
    {
        [Serve] = ["urls"],
        [Init] = [],
        [Token] = ["org", "user", "minutes"],
        [Grant] = ["org", "credits", "id"],
        [Demo] = ["data", "url", "directory", "org", "emails-sample"],
        [Help] = [],
    };

    /// <summary>Parses <paramref name="args"/>; a missing command means <c>serve</c>.</summary>
    /// <exception cref="FormatException">The command is unknown, or an argument is neither an option of the command nor <c>--Name=Value</c>.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = 0;
        var command = args.Count > 0 && !args[0].StartsWith('-') ? args[index++] : Serve;
        if (command is "-h" or "--help")
        {
            command = Help;
        }

        if (!KnownOptions.TryGetValue(command, out var known))
        {
            throw new FormatException($"Unknown command '{command}'.");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<string>();
        for (; index < args.Count; index++)
        {
            var argument = args[index];
            if (argument is "-h" or "--help")
            {
                return new CommandLine(Help, options, settings);
            }

            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
            {
                throw new FormatException($"Unexpected argument '{argument}'.");
            }

            var separator = argument.IndexOf('=', StringComparison.Ordinal);
            var name = separator < 0 ? argument[2..] : argument[2..separator];
            if (known.Contains(name))
            {
                options[name] = separator >= 0 ? argument[(separator + 1)..]
                    : index + 1 < args.Count ? args[++index]
                    : throw new FormatException($"Option --{name} needs a value.");
            }
            else if (separator > 2)
            {
                settings.Add(argument);
            }
            else
            {
                throw new FormatException($"Unknown option '{argument}' for '{command}'; settings take the form --Name=Value.");
            }
        }

        return new CommandLine(command, options, settings);
    }
}
