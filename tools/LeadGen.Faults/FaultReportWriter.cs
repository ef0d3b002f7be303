using System.Globalization;
using System.Text;

namespace LeadGen.Faults;

/// <summary>The run's table and its RESULT line (bench convention: the last line).</summary>
public static class FaultReportWriter
{
    public static string Format(FaultRunReport report)
    {
        var audit = report.Audit;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"faults injected ({report.Faults.Count}):");
        foreach (var (fault, index) in report.Faults.Select((fault, index) => (fault, index)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {index + 1,2}. {fault.At:mm\\:ss}  {fault.Fault,-26} {fault.Detail}");
        }

        text.AppendLine();
        text.AppendLine("| faults | leads | calls | retries | peak live calls / slots | jobs | dead letters | anomalies | run time |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {report.Faults.Count} | {audit.Leads} | {audit.Calls} | {audit.Retries} | {audit.PeakLiveCalls} / {report.Options.MaxConcurrentCalls} | {audit.Jobs} | {audit.DeadLetters} | {report.Anomalies} | {report.Elapsed.TotalSeconds:F0} s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"leads by status: {Join(audit.LeadStatuses)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"calls by status: {Join(audit.CallStatuses)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"process logs: {report.LogDirectory}");
        if (report.Anomalies > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"anomalies ({report.Anomalies}):");
            foreach (var anomaly in audit.Anomalies.Take(50))
            {
                text.AppendLine("  " + anomaly);
            }

            if (report.Anomalies > 50)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  … and {report.Anomalies - 50} more");
            }
        }

        text.Append(CultureInfo.InvariantCulture,
            $"RESULT faults ours={report.Anomalies} baseline=0 unit=anomalies faults={report.Faults.Count} leads={audit.Leads} calls={audit.Calls} " +
            $"retries={audit.Retries} dead_letters={audit.DeadLetters} run_s={report.Elapsed.TotalSeconds:F0} seed={report.Options.Seed}");
        return text.ToString();
    }

    private static string Join(Dictionary<string, int> counts) =>
        string.Join(", ", counts.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} {pair.Value}"));
}
