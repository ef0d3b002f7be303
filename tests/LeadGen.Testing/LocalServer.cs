namespace LeadGen.Testing;

/// <summary>
/// What LocalPostgres and LocalRedis share: a server process started from scripts/ on a fixed port with its data in a
/// temporary folder, that can be stopped and restarted (outage tests) and is removed with its data on dispose.
/// </summary>
public abstract class LocalServer : IAsyncDisposable
{
    private ServerProcess? _server;

    protected LocalServer(string dataDirectory, int port)
    {
        DataDirectory = dataDirectory;
        Port = port;
    }

    public int Port { get; }

    protected string DataDirectory { get; }

    /// <summary>
    /// The script's process id while it runs (fault runs signal it): for Redis the server itself (the script execs it),
    /// for Postgres the script whose only child is the postmaster. Null while stopped.
    /// </summary>
    public int? ProcessId => _server is { HasExited: false } server ? server.Id : null;

    /// <summary>A readable name for failure messages ("PostgreSQL", "Redis").</summary>
    protected abstract string DisplayName { get; }

    protected static string NewDataDirectory(string prefix) =>
        Path.Combine(Path.GetTempPath(), "leadgen-tests", $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}");

    /// <summary>Starts the server again on the same port and data.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    /// <summary>Stops the server (fast shutdown), keeping its data.</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder is harmless.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the server process.</summary>
    protected abstract ServerProcess StartProcess();

    /// <summary>True once the server answers a real request; throws nothing for "not yet".</summary>
    protected abstract Task<bool> AnswersAsync(CancellationToken cancellationToken);

    protected async Task StartServerAsync(CancellationToken cancellationToken)
    {
        _server = StartProcess();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AnswersAsync(cancellationToken))
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"{DisplayName} exited during startup:\n{_server.Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{DisplayName} did not answer within 60 s:\n{_server.Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
