using LeadGen.Core.Agent;
using LeadGen.Core.Calls.Live;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Text;

/// <summary>
/// The text engine: opens a <see cref="TextAgentSession"/> per call on the agent's composed chat pipeline
/// (<see cref="IChatClient"/>: Vertex or offline) with the same tools as the realtime engine (<see cref="AgentLiveCallTools"/>).
/// Text transports (ConversationRelay) run it through the same <see cref="LiveCallRunner"/> and coordinator.
/// </summary>
public sealed class TextAgentEngine(IChatClient chat, AgentLiveCallTools tools, ILogger<TextAgentEngine> logger)
{
    /// <param name="session">The agent's session for the call: context, script, lead facts and the history so far.</param>
    public ICallEngine Open(AgentSession session) => new TextAgentSession(session, chat, tools.ChatDeclarations, logger);
}
