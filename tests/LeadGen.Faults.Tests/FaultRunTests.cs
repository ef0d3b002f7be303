using System.Globalization;

namespace LeadGen.Faults.Tests;

/// <summary>
/// The short fault run (issue 18): Postgres, Redis, two Workers and the VoiceApi as separate processes, every fault kind
/// once in a seeded order under a 60-lead persona campaign, then the full audit. Prints its seed; replay a failure with
/// <c>LEADGEN_FAULTS_SEED=&lt;seed&gt;</c> (or <c>bench/run.sh faults --quick --seed &lt;seed&gt;</c>).
/// </summary>
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_fault_once_under_a_running_campaign_leaves_no_anomaly()
    {
        var seed = Environment.GetEnvironmentVariable("LEADGEN_FAULTS_SEED") is { Length: > 0 } seedText
            ? int.Parse(seedText, CultureInfo.InvariantCulture)
            : Random.Shared.Next(1, int.MaxValue);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var options = FaultRunOptions.Quick(seed) with { Configuration = configuration };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));

        var report = await FaultRun.RunAsync(options, output.WriteLine, timeout.Token);

        var text = FaultReportWriter.Format(report);
        output.WriteLine(text);
        Assert.True(report.Faults.Count == Enum.GetValues<Fault>().Length, $"every fault kind is injected once (seed {seed})");
        Assert.True(report.Audit.Calls > 0, $"the campaign dialled (seed {seed})");
        Assert.True(report.Anomalies == 0, $"seed {seed}: {report.Anomalies} anomalies\n{text}");
    }
}
