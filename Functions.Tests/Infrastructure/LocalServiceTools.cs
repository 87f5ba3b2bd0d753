namespace ContactEnrichment.Functions.Tests.Infrastructure;

/// <summary>Locates Node.js and the local service scripts, with errors that name the install step.</summary>
internal static class LocalServiceTools
{
    public static string AzuriteScript(string root) => Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");

    /// <summary>The launcher of @vercel/cosmosdb-server that makes a read of a missing document return 404.</summary>
    public static string CosmosScript(string root) => Path.Combine(root, "tools", "cosmosdb-server.cjs");

    public static string ExitWithParentScript(string root) => Path.Combine(root, "tools", "exit-with-parent.cjs");

    /// <summary>Returns the path of <c>node</c> on PATH.</summary>
    /// <exception cref="InvalidOperationException">Node.js is not on PATH.</exception>
    public static string FindNode(string root)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"Node.js (node) is not on PATH, so the tests cannot start Azurite and the Cosmos DB stand-in. " +
            $"Install Node.js 20 with npm, then run `npm ci` in {root}.");
    }

    /// <exception cref="InvalidOperationException">node_modules lacks Azurite or the Cosmos DB stand-in.</exception>
    public static void RequireNodeModules(string root)
    {
        string[] required =
        [
            AzuriteScript(root),
            Path.Combine(root, "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js"),
            CosmosScript(root),
            ExitWithParentScript(root),
        ];
        var missing = required.Where(file => !File.Exists(file)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The local services are not installed: {string.Join(", ", missing)} missing. Run `npm ci` in {root} (./dev test does it for you).");
        }
    }
}
