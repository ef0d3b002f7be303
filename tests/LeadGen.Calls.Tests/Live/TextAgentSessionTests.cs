using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Calls.Text;
using LeadGen.Core.Gemini;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadGen.Calls.Tests.Live;

/// <summary>The text engine over a scripted chat client: streamed replies, tools handed out and back, history kept as heard.</summary>
public sealed class TextAgentSessionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly AgentScript Script = new(
        new AgentCampaign { Id = Guid.NewGuid(), Name = "Solar", CompanyName = "Acme Solar", Questions = [new AgentQuestion("budget", "What budget do you have in mind?", AnswerKind.Money)] },
        "Dana");

    private readonly ScriptedChat _chat = new();

    [Fact]
    public async Task A_reply_streams_its_words_hands_out_its_tool_calls_and_continues_with_their_results()
    {
        var tools = new AgentLiveCallTools(null!, TimeProvider.System).ChatDeclarations;
        await using var session = Open(tools);
        _chat.Next(new FunctionCallContent("c1", QualificationTools.RecordLeadDetails, new Dictionary<string, object?> { ["budget"] = 50000 }));
        _chat.Next(new TextContent("Thank you. "), new TextContent("When would you like them installed?"));
        var events = session.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();

        await session.SendCallerTextAsync("About $50,000.", CancellationToken.None);
        var requested = Assert.IsType<ToolCallsRequested>(await NextAsync(events));
        var call = Assert.Single(requested.Calls);
        Assert.Equal(("c1", QualificationTools.RecordLeadDetails, 50000), (call.Id, call.Name, call.Arguments["budget"]!.GetValue<int>()));
        await session.SendToolResultsAsync([new RealtimeToolResult("c1", call.Name, new JsonObject { ["status"] = "recorded" })], CancellationToken.None);

        Assert.Equal(new AgentTranscript("Thank you. "), await NextAsync(events));
        Assert.Equal(new AgentTranscript("When would you like them installed?"), await NextAsync(events));
        Assert.IsType<AgentTurnComplete>(await NextAsync(events));
        Assert.All(tools, tool => Assert.False(tool is AIFunction)); // declarations only: the call dispatches them
        var second = _chat.Requests[1];
        Assert.Equal(FunctionResultFor("c1", second), new JsonObject { ["status"] = "recorded" }.ToJsonString());
        Assert.Equal("About $50,000.", second.Last(message => message.Role == ChatRole.User).Text);
    }

    [Fact]
    public async Task After_an_interrupt_the_history_keeps_only_what_the_caller_heard()
    {
        await using var session = Open([]);
        _chat.Next(new TextContent("Great, and when would you like the panels installed?"));
        _chat.Next(new TextContent("Of course."));
        var events = session.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();
        await session.SendCallerTextAsync("About $50,000.", CancellationToken.None);
        await NextAsync(events);
        await NextAsync(events);

        await session.AgentInterruptedAsync("Great, and when", CancellationToken.None);
        await session.SendCallerTextAsync("Next month.", CancellationToken.None);
        await NextAsync(events);

        var assistant = _chat.Requests[1].Last(message => message.Role == ChatRole.Assistant);
        Assert.Equal("Great, and when [interrupted by the caller]", assistant.Text);
    }

    [Fact]
    public async Task A_keypad_opt_out_ends_the_conversation_as_do_not_call_and_confirms()
    {
        await using var session = Open([]);
        var events = session.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();

        await session.SendNoteAsync(CallNote.OptedOut, CancellationToken.None);
        var end = Assert.Single(Assert.IsType<ToolCallsRequested>(await NextAsync(events)).Calls);
        Assert.Equal((QualificationTools.EndCall, "do_not_call"), (end.Name, end.Arguments["outcome"]!.GetValue<string>()));
        await session.SendToolResultsAsync([new RealtimeToolResult(end.Id, end.Name, new JsonObject { ["ok"] = true })], CancellationToken.None);

        Assert.Equal(new AgentTranscript(Script.OptOutConfirmation), await NextAsync(events));
        Assert.IsType<AgentTurnComplete>(await NextAsync(events));
        Assert.Empty(_chat.Requests); // a fixed line: the model is not asked
    }

    [Fact]
    public async Task A_silent_line_gets_the_fixed_lines_without_asking_the_model()
    {
        await using var session = Open([]);
        var events = session.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();

        await session.SendNoteAsync(CallNote.StillThere, CancellationToken.None);
        await session.SendNoteAsync(CallNote.NoResponse, CancellationToken.None);

        Assert.Equal(new AgentTranscript(TextAgentSession.StillThereLine), await NextAsync(events));
        Assert.IsType<AgentTurnComplete>(await NextAsync(events));
        Assert.Equal(new AgentTranscript(TextAgentSession.NoResponseLine), await NextAsync(events));
        Assert.IsType<AgentTurnComplete>(await NextAsync(events));
        Assert.Empty(_chat.Requests);
    }

    [Fact]
    public async Task A_failing_model_gets_the_holding_line_and_the_callers_words_stay_out_of_the_history()
    {
        await using var session = Open([]);
        _chat.Fail();
        _chat.Next(new TextContent("Thanks."));
        var events = session.ReadEventsAsync(CancellationToken.None).GetAsyncEnumerator();

        await session.SendCallerTextAsync("Lost words.", CancellationToken.None);
        Assert.Equal(new AgentTranscript(AgentScript.HoldingLine), await NextAsync(events));
        Assert.IsType<AgentTurnComplete>(await NextAsync(events));
        await session.SendCallerTextAsync("About $50,000.", CancellationToken.None);
        await NextAsync(events);

        Assert.DoesNotContain(_chat.Requests[1], message => message.Text == "Lost words.");
    }

    private TextAgentSession Open(IList<AITool> tools)
    {
        var history = new List<ChatMessage> { new(ChatRole.User, AgentSession.ConnectedCue), new(ChatRole.Assistant, "Hi Dana, this is Alex. What budget do you have in mind?") };
        var session = new TextAgentSession(new AgentSession(new AgentContext(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), Script, history, new ConversationState()), _chat, tools, NullLogger.Instance);
        session.StartAsync(history[1].Text, alreadySpoken: true, CancellationToken.None).AsTask().Wait(Wait);
        return session;
    }

    private static async Task<RealtimeEvent> NextAsync(IAsyncEnumerator<RealtimeEvent> events)
    {
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Wait));
        return events.Current;
    }

    private static string FunctionResultFor(string callId, IReadOnlyList<ChatMessage> messages) =>
        ((JsonObject)messages.SelectMany(message => message.Contents).OfType<FunctionResultContent>().Single(result => result.CallId == callId).Result!).ToJsonString();

    /// <summary>Answers each request with the next scripted response (streamed one content per update), recording what it was sent.</summary>
    private sealed class ScriptedChat : IChatClient
    {
        private readonly ConcurrentQueue<AIContent[]?> _responses = new();

        public List<IReadOnlyList<ChatMessage>> Requests { get; } = [];

        public void Next(params AIContent[] contents) => _responses.Enqueue(contents);

        public void Fail() => _responses.Enqueue(null);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the text engine streams");

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Requests.Add([.. messages]);
            Assert.True(_responses.TryDequeue(out var contents), "no scripted response left");
            if (contents is null)
            {
                throw new GeminiRequestException("Vertex AI is unavailable.", System.Net.HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
            }

            foreach (var content in contents)
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, [content]);
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
