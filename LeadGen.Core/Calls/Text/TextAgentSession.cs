using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Calls.Text;

/// <summary>
/// One call's text engine: the qualification agent's <see cref="IChatClient"/> (Gemini on Vertex, or the offline
/// engine) answering whole caller utterances, one at a time and in order. The reply is streamed out as
/// <see cref="AgentTranscript"/> pieces; the tools are offered as declarations only, so their calls come back here and
/// go out as <see cref="ToolCallsRequested"/> for the coordinator to dispatch, exactly like a realtime engine's. After a
/// barge-in the model's history keeps only what the caller heard of its last reply.
/// </summary>
public sealed class TextAgentSession : ICallEngine
{
    public static readonly ActivitySource Source = new("LeadGen.Calls.TextAgent");

    public const string StillThereLine = "Are you still there? I'm happy to wait a moment.";
    public const string NoResponseLine = "I can't seem to hear you, so I'll try another time. Goodbye!";

    /// <summary>Rounds of tool calls in one reply before the agent must speak.</summary>
    private const int MaxToolRounds = 4;

    private readonly AgentSession _session;
    private readonly IChatClient _chat;
    private readonly ChatOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Channel<RealtimeEvent> _events = Channel.CreateUnbounded<RealtimeEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<object> _inputs = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private Task _loop = Task.CompletedTask;
    private TaskCompletionSource<IReadOnlyList<RealtimeToolResult>>? _toolResults;
    private string? _heardOfLastReply; // set by an interrupt; the history keeps only this much of the last reply

    public TextAgentSession(AgentSession session, IChatClient chat, IList<AITool> tools, ILogger logger)
    {
        _session = session;
        _chat = chat;
        _options = QualificationAgent.Options(session, tools);
        _logger = logger;
    }

    public EngineAudioFormat? Audio => null;

    private Guid CallId => _session.Context.CallId;

    public ValueTask StartAsync(string openingLine, bool alreadySpoken, CancellationToken cancellationToken)
    {
        if (_session.History.Count == 0)
        {
            _session.History.Add(new ChatMessage(ChatRole.User, AgentSession.ConnectedCue));
            _session.History.Add(new ChatMessage(ChatRole.Assistant, openingLine));
        }

        if (!alreadySpoken)
        {
            Speak(openingLine);
        }

        _loop = Task.Run(RunAsync, CancellationToken.None); // started here, so turns join the call's trace
        return ValueTask.CompletedTask;
    }

    public ValueTask SendCallerAudioAsync(ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The text engine hears words, not audio.");

    public ValueTask SendCallerTextAsync(string text, CancellationToken cancellationToken) => Input(text);

    public ValueTask SendNoteAsync(CallNote note, CancellationToken cancellationToken) => Input(note);

    public ValueTask AgentInterruptedAsync(string heard, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _heardOfLastReply = heard.Trim();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SendToolResultsAsync(IReadOnlyList<RealtimeToolResult> results, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _toolResults?.TrySetResult(results);
        }

        return ValueTask.CompletedTask;
    }

    public IAsyncEnumerable<RealtimeEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _inputs.Writer.TryComplete();
        await _closed.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _events.Writer.TryComplete();
        _closed.Dispose();
    }

    private ValueTask Input(object input)
    {
        _inputs.Writer.TryWrite(input);
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var input in _inputs.Reader.ReadAllAsync(_closed.Token))
            {
                switch (input)
                {
                    case string said:
                        await ReplyAsync(said, _closed.Token);
                        break;
                    case CallNote.OptedOut:
                        await OptedOutAsync(_closed.Token);
                        break;
                    case CallNote note:
                        Say(note == CallNote.StillThere ? StillThereLine : NoResponseLine);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // The call ended.
        }
        catch (Exception exception)
        {
            _logger.LogError(exception, "Call {CallId}: the text agent failed", CallId);
            _events.Writer.TryWrite(new SessionEnded("the text agent failed"));
        }
    }

    private async Task ReplyAsync(string leadText, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("agent turn");
        activity?.SetTag("leadgen.call.id", CallId.ToString());
        TrimHistoryToHeard();
        List<ChatMessage> messages = [.. _session.History, new ChatMessage(ChatRole.User, leadText)];
        var spoke = false;
        var ended = false;
        try
        {
            for (var round = 0; ; round++)
            {
                List<ChatResponseUpdate> updates = [];
                await foreach (var update in _chat.GetStreamingResponseAsync(messages, _options, cancellationToken))
                {
                    updates.Add(update);
                    if (update.Role != ChatRole.Tool && update.Text is { Length: > 0 } piece)
                    {
                        spoke = true;
                        _events.Writer.TryWrite(new AgentTranscript(piece));
                    }
                }

                var response = updates.ToChatResponse();
                messages.AddRange(response.Messages);
                if (response.Usage is { } usage)
                {
                    // Stored by the coordinator, like an audio engine's: on the call and on the agent turn it produced.
                    _events.Writer.TryWrite(new EngineUsage(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0));
                }

                var calls = response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().ToList();
                if (calls.Count == 0 || round == MaxToolRounds)
                {
                    break;
                }

                activity?.AddTag("leadgen.call.tools", string.Join(",", calls.Select(call => call.Name)));
                ended |= calls.Any(call => call.Name is QualificationTools.EndCall or QualificationTools.TransferToHuman);
                var results = await RunToolsAsync(calls, cancellationToken);
                messages.Add(new ChatMessage(ChatRole.Tool, [.. results.Select(AIContent (result) => new FunctionResultContent(result.Id, result.Response))]));
            }
        }
        catch (Exception exception) when (exception is GeminiRequestException or GeminiRateLimitExceededException)
        {
            // The caller is asked to repeat; their words stay out of the history (no dangling user turn).
            _logger.LogWarning(exception, "Call {CallId}: the agent's engine failed; asking the caller to repeat", CallId);
            Say(AgentScript.HoldingLine);
            return;
        }

        _session.History.Clear();
        _session.History.AddRange(messages);
        if (!spoke)
        {
            // A model may end with only a tool call; the caller still hears something sensible.
            Say(ended ? "Thank you for your time. Goodbye!" : "Sorry, could you say that again?");
            return;
        }

        _events.Writer.TryWrite(new AgentTurnComplete());
    }

    /// <summary>The caller pressed 9 (already on the do-not-call list): the agent ends the conversation as opted out and confirms.</summary>
    private async Task OptedOutAsync(CancellationToken cancellationToken)
    {
        var end = new FunctionCallContent("keypad-opt-out", QualificationTools.EndCall, new Dictionary<string, object?>
        {
            ["outcome"] = ConversationOutcome.DoNotCall.ToWire(),
            ["summary"] = "The lead pressed 9 to opt out.",
        });
        await RunToolsAsync([end], cancellationToken);
        Say(_session.Script.OptOutConfirmation);
    }

    /// <summary>Hands the tool calls to the coordinator and waits for their results.</summary>
    private async Task<IReadOnlyList<RealtimeToolResult>> RunToolsAsync(IReadOnlyList<FunctionCallContent> calls, CancellationToken cancellationToken)
    {
        var results = new TaskCompletionSource<IReadOnlyList<RealtimeToolResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _toolResults = results;
        }

        _events.Writer.TryWrite(new ToolCallsRequested(
            [.. calls.Select(call => new RealtimeToolCall(call.CallId, call.Name, JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions) as JsonObject ?? []))]));
        using var cancelled = cancellationToken.Register(() => results.TrySetCanceled(cancellationToken));
        return await results.Task;
    }

    /// <summary>A fixed line (not from the model), spoken as one reply and kept in the model's history.</summary>
    private void Say(string line)
    {
        TrimHistoryToHeard();
        _session.History.Add(new ChatMessage(ChatRole.Assistant, line));
        Speak(line);
    }

    private void Speak(string line)
    {
        _events.Writer.TryWrite(new AgentTranscript(line));
        _events.Writer.TryWrite(new AgentTurnComplete());
    }

    /// <summary>After a barge-in the model must not believe the caller heard its whole last reply.</summary>
    private void TrimHistoryToHeard()
    {
        string? heard;
        lock (_gate)
        {
            heard = _heardOfLastReply;
            _heardOfLastReply = null;
        }

        if (heard is null)
        {
            return;
        }

        for (var i = _session.History.Count - 1; i >= 0; i--)
        {
            var message = _session.History[i];
            if (message.Role == ChatRole.Assistant && message.Text.Length > 0)
            {
                var kept = message.Contents.Where(content => content is not TextContent).ToList();
                kept.Add(new TextContent(heard.Length == 0 ? "[interrupted before speaking]" : heard + " [interrupted by the caller]"));
                _session.History[i] = new ChatMessage(ChatRole.Assistant, kept);
                return;
            }
        }
    }
}
