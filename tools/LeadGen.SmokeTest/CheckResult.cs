namespace LeadGen.SmokeTest;

/// <summary>The outcome of one smoke check, printed as one line.</summary>
internal sealed record CheckResult(string Name, bool Passed, string Detail)
{
    public static CheckResult Pass(string name, string detail) => new(name, true, detail);

    public static CheckResult Fail(string name, string detail) => new(name, false, detail);

    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}
