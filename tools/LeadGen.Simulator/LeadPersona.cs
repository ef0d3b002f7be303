namespace LeadGen.Simulator;

/// <summary>
/// A simulated lead's behaviour and what a good agent should make of the call (one YAML file in
/// <c>tools/LeadGen.Simulator/Personas</c>, read by <see cref="PersonaCatalog"/>). The caller answers each kind of question
/// the agent asks with <see cref="Answers"/>; <see cref="Turns"/> replace the answer at a given reply (a callback
/// request, "remove me", a keypad press, silence, a hang-up); <see cref="Interrupt"/> talks over the greeting;
/// <see cref="Voicemail"/> makes the line an answering machine.
/// </summary>
public sealed class LeadPersona
{
    /// <summary>Stable id (the file name without .yaml).</summary>
    public string Id { get; set; } = string.Empty;

    public string Summary { get; set; } = string.Empty;

    /// <summary>Relative share of the demo campaign's leads.</summary>
    public int Weight { get; set; } = 1;

    /// <summary>An answering machine picks up (the simulator reports AnsweredBy=machine_end_beep when asked).</summary>
    public bool Voicemail { get; set; }

    /// <summary>What the lead says to each kind of question (need, budget, authority, timeline, email, consent, other).</summary>
    public Dictionary<string, string> Answers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces the answer at the Nth agent reply (1 = the greeting).</summary>
    public List<PersonaTurn> Turns { get; set; } = [];

    /// <summary>Talks over the greeting after some of its words.</summary>
    public PersonaInterrupt? Interrupt { get; set; }

    public PersonaExpectation Expected { get; set; } = new();
}

/// <summary>What the lead does at the <see cref="At"/>th agent reply (1 = the greeting) instead of answering.</summary>
public sealed class PersonaTurn
{
    public int At { get; set; }

    public string? Say { get; set; }

    /// <summary>A keypad digit (9 = opt out).</summary>
    public string? Press { get; set; }

    public bool Silent { get; set; }

    public bool HangUp { get; set; }
}

public sealed class PersonaInterrupt
{
    public int AfterWords { get; set; } = 6;

    public string Say { get; set; } = string.Empty;
}

/// <summary>What the call should end with for this lead.</summary>
public sealed class PersonaExpectation
{
    /// <summary>qualified, disqualified, callback, do_not_call, transferred, voicemail or no_verdict.</summary>
    public string Outcome { get; set; } = string.Empty;

    /// <summary>The analysis score (0-100) should fall in [min, max].</summary>
    public int? ScoreMin { get; set; }

    public int? ScoreMax { get; set; }

    /// <summary>Fields the agent should have recorded on the lead (budget, isDecisionMaker, email, …) with their values.</summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A callback booked this many days ahead (UTC date)…</summary>
    public int? CallbackInDays { get; set; }

    /// <summary>…at this hour (UTC, 0-23).</summary>
    public int? CallbackHour { get; set; }

    public bool DoNotCall { get; set; }
}
