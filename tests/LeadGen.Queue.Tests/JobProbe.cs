using LeadGen.Core.Queue;
using Npgsql;

namespace LeadGen.Queue.Tests;

/// <summary>Payload of the test job type.</summary>
public sealed record ProbePayload(string Key);

/// <summary>
/// What the test handler does, set per test: by default it records its effect (a row in <c>probe_effects</c>, in the
/// job's transaction, so it commits or rolls back with the job). Counts every run, committed or not.
/// </summary>
public sealed class JobProbe
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public Func<JobContext, CancellationToken, Task>? BeforeEffect { get; set; }

    public Func<JobContext, CancellationToken, Task>? AfterEffect { get; set; }

    public const string CreateTableSql = "CREATE TABLE probe_effects (job_id uuid NOT NULL, key text NOT NULL, attempt int NOT NULL)";

    internal async Task RunAsync(ProbePayload payload, JobContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        if (BeforeEffect is not null)
        {
            await BeforeEffect(context, cancellationToken);
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO probe_effects (job_id, key, attempt) VALUES (@id, @key, @attempt)", context.Connection, context.Transaction))
        {
            insert.Parameters.AddWithValue("id", context.Job.Id);
            insert.Parameters.AddWithValue("key", payload.Key);
            insert.Parameters.AddWithValue("attempt", context.Attempt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (AfterEffect is not null)
        {
            await AfterEffect(context, cancellationToken);
        }
    }
}

public sealed class ProbeHandler(JobProbe probe) : JobHandler<ProbePayload>
{
    protected override Task HandleAsync(ProbePayload payload, JobContext context, CancellationToken cancellationToken) =>
        probe.RunAsync(payload, context, cancellationToken);
}
