using System.Globalization;
using System.Text;
using LeadGen.Simulator;

namespace LeadGen.Evals;

/// <param name="Outcome">qualified, disqualified, callback, do_not_call, transferred, voicemail or no_verdict.</param>
/// <param name="Tokens">Model tokens the call used (input + output; 0 offline).</param>
/// <param name="CallSeconds">Billable call length (the status callback's CallDuration).</param>
/// <param name="Transcript">The stored transcript, one "speaker: text" line per turn.</param>
public sealed record ObservedCall(
    string Outcome,
    int? Score,
    IReadOnlyDictionary<string, string> Fields,
    DateTimeOffset? CallbackAt,
    bool OnDoNotCallList,
    int Turns,
    IReadOnlyList<double> TurnLatenciesMs,
    TimeSpan Elapsed,
    long Tokens,
    int CallSeconds,
    string? AnalysisError,
    IReadOnlyList<string> Transcript);

/// <summary>One persona's call against its expectation: every check that applies, and field true/false positives.</summary>
public sealed record PersonaResult(
    LeadPersona Persona,
    ObservedCall Observed,
    bool OutcomeCorrect,
    IReadOnlyList<string> Misses,
    int FieldTruePositives,
    int FieldFalsePositives,
    int FieldFalseNegatives)
{
    /// <summary>Correct when the outcome and every other stated expectation (score band, callback, do-not-call) hold.</summary>
    public bool Correct => OutcomeCorrect && Misses.Count == 0;

    public static PersonaResult Compare(LeadPersona persona, ObservedCall observed, DateTimeOffset now)
    {
        var expected = persona.Expected;
        var misses = new List<string>();
        var outcomeCorrect = string.Equals(expected.Outcome, observed.Outcome, StringComparison.Ordinal);
        if (!outcomeCorrect)
        {
            misses.Add($"outcome {observed.Outcome} (expected {expected.Outcome})");
        }

        if ((expected.ScoreMin is { } min && (observed.Score ?? -1) < min) || (expected.ScoreMax is { } max && (observed.Score ?? int.MaxValue) > max))
        {
            misses.Add($"score {observed.Score?.ToString(CultureInfo.InvariantCulture) ?? "none"} (expected {expected.ScoreMin ?? 0}-{expected.ScoreMax ?? 100})");
        }

        if (expected.CallbackInDays is not null || expected.CallbackHour is not null)
        {
            var at = observed.CallbackAt?.ToUniversalTime();
            var dayOk = expected.CallbackInDays is not { } days || (at is { } a && DateOnly.FromDateTime(a.UtcDateTime) == DateOnly.FromDateTime(now.UtcDateTime).AddDays(days));
            var hourOk = expected.CallbackHour is not { } hour || (at is { } h && h.Hour == hour);
            if (!dayOk || !hourOk)
            {
                misses.Add($"callback {at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "none"}");
            }
        }

        if (expected.DoNotCall != observed.OnDoNotCallList)
        {
            misses.Add(observed.OnDoNotCallList ? "on the do-not-call list" : "not on the do-not-call list");
        }

        int truePositives = 0, falsePositives = 0;
        foreach (var (key, value) in observed.Fields)
        {
            if (expected.Fields.TryGetValue(key, out var want) && string.Equals(want, value, StringComparison.OrdinalIgnoreCase))
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
                misses.Add($"field {key}={value}" + (expected.Fields.TryGetValue(key, out var wanted) ? $" (expected {wanted})" : " (not expected)"));
            }
        }

        var falseNegatives = expected.Fields.Count(pair => !observed.Fields.TryGetValue(pair.Key, out var got) || !string.Equals(got, pair.Value, StringComparison.OrdinalIgnoreCase));
        return new PersonaResult(persona, observed, outcomeCorrect, misses, truePositives, falsePositives, falseNegatives);
    }
}

/// <summary>The per-persona table and the totals, as text and as the benchmark's RESULT line.</summary>
public sealed record EvalReport(string Engine, string Model, IReadOnlyList<PersonaResult> Results)
{
    /// <summary>Share of personas whose outcome matched (%).</summary>
    public double OutcomeAccuracy => Percent(Results.Count(result => result.OutcomeCorrect), Results.Count);

    /// <summary>Share of personas where every expectation held (%).</summary>
    public double FullAccuracy => Percent(Results.Count(result => result.Correct), Results.Count);

    public double FieldPrecision => Percent(Results.Sum(r => r.FieldTruePositives), Results.Sum(r => r.FieldTruePositives + r.FieldFalsePositives));

    public double FieldRecall => Percent(Results.Sum(r => r.FieldTruePositives), Results.Sum(r => r.FieldTruePositives + r.FieldFalseNegatives));

    public double TurnLatencyP50Ms => Percentile(Results.SelectMany(r => r.Observed.TurnLatenciesMs).ToList(), 0.5);

    public double TurnLatencyP95Ms => Percentile(Results.SelectMany(r => r.Observed.TurnLatenciesMs).ToList(), 0.95);

    public string ToTable(CostRates rates)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"engine: {Engine}, model: {Model}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{"persona",-22} {"expected",-13} {"actual",-13} {"score",5} {"turns",5} {"p50 ms",7} {"cost $",7}  result");
        foreach (var result in Results)
        {
            var observed = result.Observed;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{result.Persona.Id,-22} {result.Persona.Expected.Outcome,-13} {observed.Outcome,-13} {observed.Score?.ToString(CultureInfo.InvariantCulture) ?? "-",5} {observed.Turns,5} {Percentile([.. observed.TurnLatenciesMs], 0.5),7:F1} {rates.Cost(observed),7:F4}  {(result.Correct ? "ok" : string.Join("; ", result.Misses))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"totals: {Results.Count} personas, outcome accuracy {OutcomeAccuracy:F1} %, all expectations {FullAccuracy:F1} %, field precision {FieldPrecision:F1} % recall {FieldRecall:F1} %, turns {Results.Sum(r => r.Observed.Turns)}, turn latency p50 {TurnLatencyP50Ms:F1} ms p95 {TurnLatencyP95Ms:F1} ms, cost ${Results.Sum(r => rates.Cost(r.Observed)):F4} ({rates.Describe()})");
        return text.ToString();
    }

    public string ToTranscripts()
    {
        var text = new StringBuilder();
        foreach (var result in Results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {result.Persona.Id} ({result.Observed.Outcome})");
            foreach (var line in result.Observed.Transcript)
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    public string ResultLine() => string.Create(CultureInfo.InvariantCulture,
        $"RESULT evals ours={OutcomeAccuracy:F1} baseline=100 unit=% ratio={OutcomeAccuracy / 100:F3} all_expectations={FullAccuracy:F1} field_precision={FieldPrecision:F1} field_recall={FieldRecall:F1} turn_p95_ms={TurnLatencyP95Ms:F1} personas={Results.Count} engine={Engine} model={Model}");

    private static double Percent(int part, int whole) => whole == 0 ? 100 : 100.0 * part / whole;

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(p * values.Count) - 1, 0, values.Count - 1)];
    }
}

/// <summary>
/// Per-call cost estimate: telephony minutes plus ConversationRelay minutes (Twilio per-minute rates) plus model tokens.
/// The rates are inputs (defaults are Twilio's and Google's published list prices as we last knew them; override with
/// --rate-* options); the offline engine costs nothing in tokens.
/// </summary>
public sealed record CostRates(decimal TelephonyPerMinute, decimal RelayPerMinute, decimal PerMillionTokens)
{
    public static CostRates Default { get; } = new(0.014m, 0.07m, 0.50m);

    public decimal Cost(ObservedCall call)
    {
        var minutes = Math.Ceiling(Math.Max(call.CallSeconds, 1) / 60m);
        return (minutes * (TelephonyPerMinute + RelayPerMinute)) + (call.Tokens * PerMillionTokens / 1_000_000m);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"${TelephonyPerMinute}/min telephony + ${RelayPerMinute}/min ConversationRelay + ${PerMillionTokens}/M tokens, per started minute");
}
