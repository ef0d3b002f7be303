namespace LeadGen.Core.Calls.Live;

/// <summary>What the call code itself tells the engine, in words (the system prompt comes from the agent's script).</summary>
public static class LiveCallPrompts
{
    public const string OptedOut =
        "The caller just pressed 9 to opt out of future calls. They have been added to the do-not-call list. Confirm that in one short sentence, say goodbye, and end the call.";

    public static string Opening(string openingLine) =>
        $"The call has connected. Greet the person now by saying exactly this, then continue the conversation: \"{openingLine}\"";
}
