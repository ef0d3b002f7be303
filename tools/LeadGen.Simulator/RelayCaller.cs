namespace LeadGen.Simulator;

/// <summary>
/// The simulated person on a ConversationRelay call: after each complete agent reply (as "heard"), decides what to do
/// next. Implementations: <see cref="ScriptedRelayCaller"/> (a fixed list, for tests) and the persona-driven caller.
/// </summary>
public interface IRelayCaller
{
    RelayCallerAction OnAgentReply(string agentReply);
}

/// <summary>What the simulated caller does after hearing the agent.</summary>
public abstract record RelayCallerAction
{
    /// <summary>Says <paramref name="Text"/> once the agent finished (Twilio's final prompt).</summary>
    public sealed record Say(string Text) : RelayCallerAction;

    /// <summary>Talks over the agent's next reply after <paramref name="AfterWords"/> of its words, saying <paramref name="Text"/>.</summary>
    public sealed record InterruptNext(int AfterWords, string Text) : RelayCallerAction;

    public sealed record Press(string Digit) : RelayCallerAction;

    /// <summary>Says nothing; the call goes on until the agent (or the time limit) ends it.</summary>
    public sealed record StaySilent : RelayCallerAction;

    public sealed record HangUp : RelayCallerAction;
}

/// <summary>Plays a fixed list of actions, one per agent reply; then stays on the line, silent, until the agent ends the call.</summary>
public sealed class ScriptedRelayCaller(params RelayCallerAction[] actions) : IRelayCaller
{
    private int _next;

    public RelayCallerAction OnAgentReply(string agentReply) => _next < actions.Length ? actions[_next++] : new RelayCallerAction.StaySilent();
}
