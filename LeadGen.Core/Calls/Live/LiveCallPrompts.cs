namespace LeadGen.Core.Calls.Live;

/// <summary>What the call code itself tells a realtime engine, in words (the system prompt comes from the agent's script).</summary>
public static class LiveCallPrompts
{
    public const string OptedOut =
        "The caller just pressed 9 to opt out of future calls. They have been added to the do-not-call list. Confirm that in one short sentence, say goodbye, and end the call.";

    /// <summary>Said by the transport (no model) when the voice model has no capacity: short, polite, a callback promised.</summary>
    public static string Busy(string language) => language.StartsWith("es", StringComparison.OrdinalIgnoreCase)
        ? "Lo sentimos, no podemos atender esta llamada en este momento. Le llamaremos de nuevo en breve. Adiós."
        : "Sorry, we can't take this call right now. We'll call you back shortly. Goodbye.";

    public const string StillThere = "The line has been silent for a while. Ask briefly whether the caller is still there.";

    public const string NoResponse = "The caller has not answered. Say briefly that you will try another time and say goodbye.";

    public static string Opening(string openingLine) =>
        $"The call has connected. Greet the person now by saying exactly this, then continue the conversation: \"{openingLine}\"";

    public static string CallerSaid(string text) => $"The caller said: \"{text}\"";

    public static string For(CallNote note) => note switch
    {
        CallNote.OptedOut => OptedOut,
        CallNote.StillThere => StillThere,
        _ => NoResponse,
    };
}
