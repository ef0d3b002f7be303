using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Gemini;
using LeadGen.Core.Gemini.Offline;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Agent;

/// <summary>
/// The qualification agent: one turn at a time, the campaign's system prompt plus the five tools, on whichever
/// engine is configured (Vertex or offline) through the composed chat pipeline. The opening line is fixed (the AI
/// disclosure and opt-out offer, then the first question) so every call starts compliant whatever the engine.
/// </summary>
public sealed class QualificationAgent(
    IChatClient chatClient,
    GeminiEngine engine,
    ILeadQualificationStore store,
    TimeProvider timeProvider,
    ILogger<QualificationAgent> logger)
{
    public GeminiEngine Engine => engine;

    /// <summary>Starts the history with the connection cue and the opening line; returns the opening line.</summary>
    public static string Open(AgentSession session)
    {
        var questions = session.Script.Campaign.Questions;
        var opening = session.Script.Disclosure + (questions.Count > 0 ? " " + questions[0].Text : string.Empty);
        session.History.Add(new ChatMessage(ChatRole.User, AgentSession.ConnectedCue));
        session.History.Add(new ChatMessage(ChatRole.Assistant, opening));
        return opening;
    }

    public Task<AgentReply> ReplyAsync(AgentSession session, string leadText, CancellationToken cancellationToken) =>
        ReplyAsync(session, leadText, onText: null, cancellationToken);

    /// <summary>
    /// One turn; with <paramref name="onText"/> the reply is streamed and each piece of text is handed over as the engine
    /// produces it (tools run in between, as in the whole-reply call). The returned reply holds the full text.
    /// </summary>
    public async Task<AgentReply> ReplyAsync(AgentSession session, string leadText, Func<string, CancellationToken, ValueTask>? onText, CancellationToken cancellationToken)
    {
        var tools = new QualificationTools(session.Context, store, timeProvider, session.State);
        var options = Options(session, tools.Functions);

        var leadMessage = new ChatMessage(ChatRole.User, leadText);
        ChatResponse response;
        try
        {
            response = onText is null
                ? await chatClient.GetResponseAsync([.. session.History, leadMessage], options, cancellationToken)
                : await StreamAsync([.. session.History, leadMessage], options, onText, cancellationToken);
        }
        catch (GeminiRateLimitExceededException ex)
        {
            // The lead is asked to repeat, so their words stay out of the model history (no dangling user turn).
            logger.LogWarning("Agent ({Engine}) rate limited on call {CallId}; holding line sent, retry in {RetryAfterMs} ms", engine.Label, session.Context.CallId, ex.RetryAfter.TotalMilliseconds);
            return new AgentReply(AgentScript.HoldingLine, [], null, "rate_limited");
        }

        session.History.Add(leadMessage);
        session.History.AddRange(response.Messages);
        var calls = response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().ToList();
        var text = response.Text.Trim();
        if (text.Length == 0)
        {
            // A model may end with only a tool call; the caller still hears something sensible.
            text = session.State.Ended ? "Thank you for your time. Goodbye!" : "Sorry, could you say that again?";
        }

        logger.LogInformation(
            "Agent ({Engine}) turn on call {CallId}: {ToolCount} tool calls ({Tools}){Ended}",
            engine.Label,
            session.Context.CallId,
            calls.Count,
            string.Join(", ", calls.Select(call => call.Name)),
            session.State.Ended ? ", conversation ended" : string.Empty);
        return new AgentReply(text, calls, response.Usage);
    }

    /// <summary>The agent's chat options for <paramref name="session"/>: its prompt, the tools, and the script for the offline engine.</summary>
    public static ChatOptions Options(AgentSession session, IList<AITool> tools) => new ChatOptions
    {
        Instructions = SystemPromptBuilder.Build(session.Script, session.LeadContext),
        Tools = tools,
        ToolMode = ChatToolMode.Auto,
        Temperature = 0.3f,
        MaxOutputTokens = 400,
    }.WithScript(session.Script);

    private async Task<ChatResponse> StreamAsync(List<ChatMessage> messages, ChatOptions options, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chatClient.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
            if (update.Role != ChatRole.Tool && update.Text is { Length: > 0 } piece)
            {
                await onText(piece, cancellationToken);
            }
        }

        return updates.ToChatResponse();
    }
}
