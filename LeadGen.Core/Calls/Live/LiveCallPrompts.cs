namespace LeadGen.Core.Calls.Live;

/// <summary>What the call code itself tells the engine, in words (the system prompt comes from the agent's script).</summary>
public static class LiveCallPrompts
{
    public const string OptedOut =
        "The caller just pressed 9 to opt out of future calls. They have been added to the do-not-call list. Confirm that in one short sentence, say goodbye, and end the call.";

    /// <summary>Said by the transport (no model) when the voice model has no capacity: short, polite, a callback promised.</summary>
    public static string Busy(string language) => language.StartsWith("es", StringComparison.OrdinalIgnoreCase)
        ? "Lo sentimos, no podemos atender esta llamada en este momento. Le llamaremos de nuevo en breve. Adiós."
        : "Sorry, we can't take this call right now. We'll call you back shortly. Goodbye.";

    public static string Opening(string openingLine) =>
        $"The call has connected. Greet the person now by saying exactly this, then continue the conversation: \"{openingLine}\"";
}
