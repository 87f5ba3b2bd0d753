using ContactEnrichment.DevHost.Commands;

return await DevHostCommands.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
