using Npgsql;

namespace LeadGen.Faults;

/// <summary>
/// The fault run's record of every job ever written to the outbox: a trigger on <c>job_outbox</c> (installed in the
/// run's own database only, never by a migration) copies each inserted row in the same transaction, so a job the relay
/// moved to Redis and then lost would still be listed here, without its <c>processed_jobs</c> marker or dead letter.
/// </summary>
public static class JobLedger
{
    public static async Task InstallAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            CREATE TABLE faults_job_ledger (
                job_id    uuid        PRIMARY KEY,
                job_type  text        NOT NULL,
                payload   jsonb       NOT NULL,
                inserts   integer     NOT NULL DEFAULT 1,
                first_at  timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE FUNCTION faults_job_ledger_record() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO faults_job_ledger (job_id, job_type, payload) VALUES (NEW.job_id, NEW.job_type, NEW.payload)
                ON CONFLICT (job_id) DO UPDATE SET inserts = faults_job_ledger.inserts + 1;
                RETURN NULL;
            END;
            $$;
            CREATE TRIGGER tr_faults_job_ledger AFTER INSERT ON job_outbox FOR EACH ROW EXECUTE FUNCTION faults_job_ledger_record();
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
