namespace LeadGen.Faults;

/// <summary>How big a fault run is. The bench runs the defaults; the test suite a shorter run of the same faults.</summary>
public sealed record FaultRunOptions
{
    /// <summary>Leads in the campaign (a few of them, in zones outside the calling window right now, must never be dialled).</summary>
    public int Leads { get; init; } = 500;

    /// <summary>Seeds the fault order, the pauses between faults and which Worker is killed (printed, so a run can be replayed).</summary>
    public int Seed { get; init; } = Random.Shared.Next(1, int.MaxValue);

    /// <summary>Each round injects every fault kind once, in a seeded order.</summary>
    public int Rounds { get; init; } = 2;

    /// <summary>The campaign's call slots.</summary>
    public int MaxConcurrentCalls { get; init; } = 40;

    /// <summary>Jobs written to the outbox while Redis is down (on top of what the running campaign writes).</summary>
    public int OutboxFill { get; init; } = 200;

    /// <summary>
    /// The call reaper's bound for every live status (no event for this long ends the call) — the "bounded time" within
    /// which every call row must be final. Production's bounds are minutes; a fault run cannot wait that long.
    /// </summary>
    public TimeSpan ReaperBound { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Shortest and longest pause before each fault.</summary>
    public TimeSpan MinPause { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan MaxPause { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>How long the campaign may take to settle after the last fault (nothing live, nothing due, queues drained).</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(6);

    /// <summary>
    /// Settling also waits for retries due within this long (the campaign retries a minute apart), so that second
    /// attempts run and max_attempts is exercised; leads due later stay "scheduled for retry".
    /// </summary>
    public TimeSpan RetryHorizon { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>
    /// Pause the campaign after the last fault (as an operator would), so settling waits only for the calls in flight;
    /// otherwise the campaign runs on to its natural end (retries within <see cref="RetryHorizon"/> included).
    /// </summary>
    public bool PauseToSettle { get; init; }

    /// <summary>How fast simulated leads and the relay "speak" (words a minute): fast, so a call lasts seconds.</summary>
    public double WordsPerMinute { get; init; } = 1500;

    /// <summary>Build configuration whose Worker and VoiceApi outputs are run.</summary>
    public string Configuration { get; init; } = "Release";

    /// <summary>The test suite's run: every fault once, on a campaign small enough to settle in about two minutes.</summary>
    public static FaultRunOptions Quick(int seed) => new()
    {
        Leads = 60,
        Seed = seed,
        Rounds = 1,
        MaxConcurrentCalls = 20,
        OutboxFill = 50,
        MinPause = TimeSpan.FromSeconds(2),
        MaxPause = TimeSpan.FromSeconds(5),
        SettleTimeout = TimeSpan.FromMinutes(2),
        ReaperBound = TimeSpan.FromSeconds(20),
        // Retries that fall due while the faults run are dialled; the settle does not wait a minute for more.
        RetryHorizon = TimeSpan.Zero,
        PauseToSettle = true,
    };
}
