namespace LeadGen.Faults;

/// <summary>The faults of issue 18's fault run, each injected into the running system.</summary>
public enum Fault
{
    /// <summary>SIGKILL one Worker (seeded choice) while calls are being dialled; it is started again.</summary>
    KillWorkerMidDial,

    /// <summary>SIGKILL the VoiceApi while calls are connected; it is started again on the same port.</summary>
    KillVoiceApiMidCall,

    /// <summary>Stop Redis (SIGTERM) and start it again on the same data.</summary>
    RestartRedis,

    /// <summary>Postgres fast shutdown (SIGINT to the postmaster: sessions ended, checkpoint) and start.</summary>
    RestartPostgresFast,

    /// <summary>Postgres immediate shutdown (SIGQUIT to the postmaster: no checkpoint, crash recovery on start) and start.</summary>
    RestartPostgresImmediate,

    /// <summary>SIGSTOP Redis for 10 s, then SIGCONT: connections stay open and every command hangs.</summary>
    FreezeRedis,

    /// <summary>Stop Redis, write jobs to the outbox while it is down (and let the campaign write its own), start it again.</summary>
    FillOutboxWhileRedisDown,
}
