using LeadGen.Core.Agent.Tools;
using Microsoft.Extensions.AI;

namespace LeadGen.Core.Agent;

/// <summary>One live conversation: who, which script, the model-facing history, and what the tools have done.</summary>
public sealed class AgentSession(AgentContext context, AgentScript script, List<ChatMessage> history, ConversationState state)
{
    /// <summary>Stands for the moment the lead picks up, so the model's greeting answers a user turn (Gemini expects one first).</summary>
    public const string ConnectedCue = "[The lead has answered the call.]";

    public AgentContext Context { get; } = context;

    public AgentScript Script { get; } = script;

    public List<ChatMessage> History { get; } = history;

    public ConversationState State { get; } = state;

    /// <summary>Known facts about the lead for the prompt (name, company, role; never the phone number).</summary>
    public string? LeadContext { get; init; }
}
