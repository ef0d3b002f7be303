using AzureFreeGcpManifests;
using AzureFreeGcpManifests.Cli;
using AzureFreeGcpManifests.Publishing;

// Exit codes: 0 published; 1 the manifest cannot be published; 2 bad command line. One line per problem on stderr.
try
{
    var options = OptionsParser.Parse(args);
    var result = await Publisher.PublishAsync(options, CancellationToken.None);
    Console.Out.Write(result.Summary);
    Console.Out.WriteLine();
    Console.Out.WriteLine($"wrote {result.Files.Count} files to {Path.GetFullPath(options.OutputDirectory)}");
    return 0;
}
catch (PublishException exception)
{
    foreach (var problem in exception.Problems)
    {
        await Console.Error.WriteLineAsync($"error: {problem}");
    }

    return exception.Problems.Count > 0 && exception.Problems[^1] == OptionsParser.Usage ? 2 : 1;
}
catch (IOException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}");
    return 1;
}
catch (UnauthorizedAccessException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}");
    return 1;
}
