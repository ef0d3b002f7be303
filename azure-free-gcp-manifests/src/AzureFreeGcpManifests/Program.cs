using System.CommandLine;
using AzureFreeGcpManifests;
using AzureFreeGcpManifests.Cli;
using AzureFreeGcpManifests.Publishing;

// Exit codes: 0 published; 1 the manifest cannot be published; 2 bad command line. One line per problem on stderr.
var commandLine = new PublisherCommandLine();
commandLine.Command.SetAction(async (result, cancellationToken) =>
{
    var options = commandLine.ToOptions(result);
    try
    {
        var published = await Publisher.PublishAsync(options, cancellationToken);
        Console.Out.Write(published.Summary);
        Console.Out.WriteLine();
        Console.Out.WriteLine($"wrote {published.Files.Count} files to {Path.GetFullPath(options.OutputDirectory)}");
        return 0;
    }
    catch (PublishException exception)
    {
        foreach (var problem in exception.Problems)
        {
            await Console.Error.WriteLineAsync($"error: {problem}");
        }

        return 1;
    }
    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"error: {exception.Message}");
        return 1;
    }
});

var parsed = commandLine.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    await Console.Error.WriteLineAsync(PublisherCommandLine.Usage);
    return 2;
}

// --help and --version run their own actions; otherwise the publish action above.
return await parsed.InvokeAsync();
