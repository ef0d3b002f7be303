using System.CommandLine;
using LeadGen.Faults;
using LeadGen.Tools;

// The fault run of issue 18 (bench/run.sh faults). Exit codes: 0 no anomaly; 1 anomalies found; 2 bad command line.
var defaults = new FaultRunOptions();
var leads = new Option<int>("--leads") { Description = "Leads in the campaign.", DefaultValueFactory = _ => defaults.Leads, CustomParser = ToolCommandLine.PositiveInt };
var seed = new Option<int>("--seed") { Description = "Seed of the fault order and pauses (default: random, printed).", DefaultValueFactory = _ => defaults.Seed };
var rounds = new Option<int>("--rounds") { Description = "Rounds; each injects every fault kind once.", DefaultValueFactory = _ => defaults.Rounds, CustomParser = ToolCommandLine.PositiveInt };
var slots = new Option<int>("--max-concurrent-calls") { Description = "The campaign's call slots.", DefaultValueFactory = _ => defaults.MaxConcurrentCalls, CustomParser = ToolCommandLine.PositiveInt };
var quick = new Option<bool>("--quick") { Description = "The test suite's size: 60 leads, one round." };
var configuration = new Option<string>("--configuration") { Description = "Build configuration of the Worker and VoiceApi to run.", DefaultValueFactory = _ => defaults.Configuration };
var command = new RootCommand("Runs a simulated campaign on Postgres, Redis, two Workers and the VoiceApi as separate processes while killing, restarting and freezing them; then checks every invariant.")
{
    leads, seed, rounds, slots, quick, configuration,
};
command.SetAction(async (parsed, cancellationToken) =>
{
    var options = parsed.GetValue(quick) ? FaultRunOptions.Quick(parsed.GetValue(seed)) : new FaultRunOptions
    {
        Leads = parsed.GetValue(leads),
        Seed = parsed.GetValue(seed),
        Rounds = parsed.GetValue(rounds),
        MaxConcurrentCalls = parsed.GetValue(slots),
    };
    options = options with { Configuration = parsed.GetRequiredValue(configuration) };
    var report = await FaultRun.RunAsync(options, Console.WriteLine, cancellationToken);
    Console.WriteLine(FaultReportWriter.Format(report));
    return report.Anomalies == 0 ? 0 : 1;
});
return await ToolCommandLine.InvokeAsync(command, args);
