using System.Text.Json.Nodes;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// The agent's tools as declared to the realtime model (names and arguments as the system prompt describes them).
/// PARTIAL: the text agent (issue 5) owns the canonical tool set; when it lands, these declarations should come from it.
/// </summary>
public static class LiveCallTools
{
    public const string RecordLeadDetails = "record_lead_details";
    public const string ScheduleCallback = "schedule_callback";

    public static IReadOnlyList<RealtimeToolDeclaration> Declarations { get; } =
    [
        new(RecordLeadDetails, "Store what the lead told you (qualification answers and contact details).", Schema(
            ("answers", "object", "Answers keyed by the qualification question key."),
            ("need", "string", "The lead's need in their words."),
            ("budget", "string", "Budget as stated."),
            ("timeline", "string", "When they want to start."),
            ("isDecisionMaker", "boolean", "Whether they decide on the purchase."),
            ("email", "string", "Email address, if given."))),
        new(ScheduleCallback, "Book a callback at the time the lead named.", Schema(
            ("when", "string", "ISO 8601 date-time of the callback, with offset."),
            ("note", "string", "Why and what to follow up on."))),
        new(CallSession.DoNotCallTool, "The lead asked not to be called again: add the number to the do-not-call list.", Schema(
            ("reason", "string", "The lead's words."))),
        new(CallSession.TransferTool, "Connect the caller to a human colleague.", Schema(
            ("reason", "string", "Why a human is needed."))),
        new(CallSession.EndCallTool, "End the call after your goodbye.", Schema(
            ("outcome", "string", "qualified, disqualified, callback, do_not_call or hung_up."))),
    ];

    private static JsonObject Schema(params (string Name, string Type, string Description)[] properties)
    {
        var map = new JsonObject();
        foreach (var (name, type, description) in properties)
        {
            map[name] = new JsonObject { ["type"] = type, ["description"] = description };
        }

        return new JsonObject { ["type"] = "object", ["properties"] = map };
    }
}
