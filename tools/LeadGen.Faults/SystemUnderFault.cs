using System.Globalization;
using LeadGen.Testing;
using Npgsql;
using StackExchange.Redis;

namespace LeadGen.Faults;

/// <summary>
/// The system under fault, every part its own OS process: Postgres and Redis from scripts/ (through the test fixtures,
/// which start them the way the AppHost's processes mode does), the VoiceApi and two Workers as <c>dotnet</c> processes
/// with the settings the AppHost passes (simulator provider with personas, a shared signing key).
/// </summary>
public sealed class SystemUnderFault : IAsyncDisposable
{
    private const string SigningKey = "fault-run-signing-key-not-a-secret";

    private SystemUnderFault(LocalPostgres postgres, LocalRedis redis, string database, string logDirectory)
    {
        Postgres = postgres;
        Redis = redis;
        Database = database;
        LogDirectory = logDirectory;
    }

    public LocalPostgres Postgres { get; }

    public LocalRedis Redis { get; }

    /// <summary>Connection string of the campaign's database.</summary>
    public string Database { get; }

    public string LogDirectory { get; }

    public ServiceHost VoiceApi { get; private set; } = null!;

    public IReadOnlyList<ServiceHost> Workers { get; private set; } = [];

    public IEnumerable<ServiceHost> Hosts => Workers.Append(VoiceApi);

    public static async Task<SystemUnderFault> StartAsync(FaultRunOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var logDirectory = Path.Combine(Path.GetTempPath(), "leadgen-faults", $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{options.Seed}");
        Directory.CreateDirectory(logDirectory);
        // Durable: the run crashes Postgres, and production's commits survive a crash (the tests' fast settings do not).
        var postgresStart = LocalPostgres.StartDurableAsync(cancellationToken);
        var redisStart = LocalRedis.StartAsync(cancellationToken);
        var postgres = await postgresStart;
        var redis = await redisStart;
        var database = await postgres.CreateMigratedDatabaseAsync("faults", cancellationToken);
        log($"postgres on :{postgres.Port}, redis on :{redis.Port}, logs in {logDirectory}");
        var stack = new SystemUnderFault(postgres, redis, database, logDirectory);
        try
        {
            await JobLedger.InstallAsync(database, cancellationToken);
            await stack.StartHostsAsync(options, cancellationToken);
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }

        log($"voiceapi on :{stack.VoiceApi.Port}, workers on :{stack.Workers[0].Port} and :{stack.Workers[1].Port}");
        return stack;
    }

    private async Task StartHostsAsync(FaultRunOptions options, CancellationToken cancellationToken)
    {
        var voicePort = FreePort.Next();
        var publicBaseUrl = $"http://127.0.0.1:{voicePort}";
        var wordsPerMinute = options.WordsPerMinute.ToString(CultureInfo.InvariantCulture);
        var bound = options.ReaperBound.ToString("c", CultureInfo.InvariantCulture);
        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__leadgendb"] = Database,
            ["ConnectionStrings__cache"] = Redis.ConnectionString,
            ["PublicBaseUrl"] = publicBaseUrl,
            ["Telephony__Provider"] = "simulator",
            ["Twilio__AuthToken"] = SigningKey,
            ["Telephony__ConversationRelay__WordsPerMinute"] = wordsPerMinute,
            ["Logging__LogLevel__Default"] = "Warning",
            ["OTEL_SDK_DISABLED"] = "true",
        };
        var voiceApi = new Dictionary<string, string>(common);
        var worker = new Dictionary<string, string>(common)
        {
            ["Telephony__Simulator__Personas"] = "true",
            ["Telephony__Simulator__PersonaWordsPerMinute"] = wordsPerMinute,
            ["Dialer__Interval"] = "00:00:02",
            ["Dialer__MaxNewCallsPerRun"] = "20",
            ["CallReaper__Interval"] = "00:00:05",
            ["CallReaper__Queued"] = bound,
            ["CallReaper__Initiated"] = bound,
            ["CallReaper__Ringing"] = bound,
            ["CallReaper__InProgress"] = bound,
            // A dead Worker's jobs come back after this (production: 60 s).
            ["Queue__VisibilityTimeout"] = "00:00:15",
            ["Queue__MaxBackoff"] = "00:00:10",
        };

        VoiceApi = new ServiceHost("voiceapi", HostDll("LeadGen.VoiceApi", options.Configuration), voicePort, voiceApi, LogDirectory);
        Workers =
        [
            new ServiceHost("worker-1", HostDll("LeadGen.Worker", options.Configuration), FreePort.Next(), worker, LogDirectory),
            new ServiceHost("worker-2", HostDll("LeadGen.Worker", options.Configuration), FreePort.Next(), worker, LogDirectory),
        ];
        await Task.WhenAll(Hosts.Select(host => host.StartAsync(cancellationToken)));
    }

    private static string HostDll(string project, string configuration)
    {
        var dll = Path.Combine(RepositoryPaths.Root, project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is missing: build {project} ({configuration}) first.", dll);
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // Unpooled: the run restarts Postgres, and a pooled connection would fail once after each restart.
        var connection = new NpgsqlConnection(Database + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<ConnectionMultiplexer> ConnectRedisAsync() =>
        await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString + ",connectTimeout=2000,syncTimeout=5000,asyncTimeout=5000");

    /// <summary>The postmaster's process id: the only child of the script that runs it.</summary>
    public int PostmasterId()
    {
        var script = Postgres.ProcessId ?? throw new InvalidOperationException("Postgres is not running.");
        var children = File.ReadAllText($"/proc/{script}/task/{script}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return children.Length == 1
            ? int.Parse(children[0], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"Expected one child (the postmaster) of the Postgres script, found {children.Length}.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Hosts.Where(host => host is not null))
        {
            await host.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
