using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using LeadGen.Core.Telephony.ConversationRelay;
using LeadGen.Core.Telephony.Twilio;

namespace LeadGen.Simulator;

/// <summary>
/// Plays Twilio's part in one ConversationRelay call, text only: signed voice webhook → TwiML → WebSocket upgrade signed
/// like Twilio's (over the wss URL) → <c>setup</c> with the TwiML's parameters → the welcome greeting "played" → then,
/// turn by turn, what the <see cref="IRelayCaller"/> decides: a final <c>prompt</c>, an <c>interrupt</c> (with the words
/// heard so far) followed by a prompt, a keypad <c>dtmf</c>, silence, or a hang-up. The agent's <c>text</c> tokens are
/// assembled into replies and "played" at <see cref="SimulatedRelayCallOptions.WordsPerMinute"/>. On <c>end</c> the
/// &lt;Connect action&gt; URL gets the signed session result with HandoffData; finally a signed status callback.
/// </summary>
public sealed class SimulatedRelayCall : IDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly SimulatedRelayCallOptions _options;
    private readonly SimulatedRelayCallResult _result;
    private readonly TwilioCallLeg _leg;
    private readonly Channel<ServerEvent> _events = Channel.CreateUnbounded<ServerEvent>();
    private readonly CancellationToken _providerEnded;
    private readonly string _sessionId = SimulatedCallLegOptions.NewSid("VX");
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket? _socket;
    private Uri? _actionUrl;
    private long? _promptSentAt;

    private SimulatedRelayCall(SimulatedRelayCallOptions options, HttpClient http)
    {
        _options = options;
        _leg = new TwilioCallLeg(options, http);
        _result = new SimulatedRelayCallResult { CallSid = options.CallSid };
        _providerEnded = options.Control?.StreamEnded ?? CancellationToken.None;
    }

    public static async Task<SimulatedRelayCallResult> RunAsync(SimulatedRelayCallOptions options, HttpClient http, CancellationToken cancellationToken)
    {
        using var call = new SimulatedRelayCall(options, http);
        return await call.RunAsync(cancellationToken);
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _sendLock.Dispose();
    }

    private async Task<SimulatedRelayCallResult> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _result.Duration = await _leg.TimedAsync(async limit =>
            {
                if (Relay(await _leg.AnswerAsync(signatureOverride: null, limit)) is { } relay)
                {
                    await ConverseAsync(relay, limit);
                }
            }, cancellationToken);
        }
        finally
        {
            (_result.VoiceStatusCode, _result.TwiML) = (_leg.VoiceStatusCode, _leg.TwiML);
        }

        _result.StatusCallbackCode = await _leg.CompletedAsync(_result.Duration, cancellationToken);
        return _result;
    }

    private RelayTwiML? Relay(XElement? connect)
    {
        var relay = connect?.Element("ConversationRelay");
        if (relay?.Attribute("url")?.Value is not { } url)
        {
            return null; // <Say>…<Hangup/>, or a media stream: not a ConversationRelay call
        }

        var parameters = TwilioCallLeg.Parameters(relay);
        return new RelayTwiML(
            new Uri(url),
            connect!.Attribute("action")?.Value is { } action ? new Uri(action) : null,
            relay.Attribute("welcomeGreeting")?.Value ?? string.Empty,
            relay.Attribute("language")?.Value,
            _options.TamperParameters?.Invoke(parameters) ?? parameters);
    }

    private async Task ConverseAsync(RelayTwiML relay, CancellationToken cancellationToken)
    {
        _socket = new ClientWebSocket();
        _socket.Options.CollectHttpResponseDetails = true;
        _socket.Options.SetRequestHeader(TwilioSignature.HeaderName, _options.SocketSignatureOverride ?? TwilioRequestSigner.Sign(_options.AuthToken, relay.Url.ToString(), []));
        try
        {
            await _socket.ConnectAsync(relay.Url, cancellationToken);
        }
        catch (WebSocketException)
        {
            _result.UpgradeRefusedStatus = (int)_socket.HttpStatusCode;
            return;
        }

        _result.SocketOpened = true;
        _actionUrl = relay.Action;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiver = Task.Run(() => ReceiveAsync(stop.Token), CancellationToken.None);
        try
        {
            await SendAsync(new RelaySetup(_sessionId, _options.CallSid, _options.AccountSid, _options.From, _options.To, _options.Direction, "in-progress", relay.Parameters), cancellationToken);
            await TalkAsync(relay, cancellationToken);
        }
        catch (OperationCanceledException) when (_providerEnded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _result.EndedByProvider = true; // redirected or hung up through the REST API: Twilio ends the session
        }
        catch (WebSocketException)
        {
            // The server went away.
        }

        await CloseAsync(receiver);
        await stop.CancelAsync();
        await receiver.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _result.CloseStatus ??= _socket.CloseStatus;
    }

    private async Task TalkAsync(RelayTwiML relay, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _providerEnded);
        var token = either.Token;
        var reply = relay.WelcomeGreeting;
        _result.AgentReplies.Add(reply);
        var greetingPlayed = false;
        if (_options.AnsweredBy is { Length: > 0 } answeredBy && _options.AmdCallbackUrl is not null)
        {
            // Twilio's async AMD result arrives while the call is connected; here once the greeting has played.
            await PlayAsync(reply, token);
            greetingPlayed = true;
            _result.AmdCallbackCodes.Add((await _leg.AnsweringMachineResultAsync(answeredBy, 3000, CancellationToken.None))!.Value);
            await Task.Delay(TimeSpan.FromMilliseconds(200), token); // the server's redirect/hang-up ends the session
        }

        while (true)
        {
            token.ThrowIfCancellationRequested();
            var action = _options.Caller.OnAgentReply(reply);
            // The greeting plays once: after the AMD result the caller answers it at once (playing it again kept the
            // caller quiet past the agent's silence timeout, so every dialled persona seemed silent).
            var replyToPlay = greetingPlayed ? string.Empty : reply;
            greetingPlayed = false;
            switch (action)
            {
                case RelayCallerAction.Say say:
                    await PlayAsync(replyToPlay, token);
                    await PromptAsync(say.Text, token);
                    break;
                case RelayCallerAction.InterruptNext interrupt:
                    var words = reply.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var heard = string.Join(' ', words.Take(interrupt.AfterWords));
                    await PlayAsync(replyToPlay.Length == 0 ? string.Empty : heard, token);
                    _result.AgentReplies[^1] = heard;
                    _result.Interrupts++;
                    await SendAsync(new RelayInterrupt(heard, (int)WordsDuration(heard).TotalMilliseconds), token);
                    await PromptAsync(interrupt.Text, token);
                    break;
                case RelayCallerAction.Press press:
                    await PlayAsync(replyToPlay, token);
                    await SendAsync(new RelayDtmf(press.Digit), token);
                    break;
                case RelayCallerAction.StaySilent:
                    await PlayAsync(replyToPlay, token);
                    break;
                default:
                    await PlayAsync(replyToPlay, token);
                    return; // hang up
            }

            var next = await NextReplyAsync(token);
            if (next is null)
            {
                return; // the server ended the session (or closed the socket)
            }

            reply = next;
            _result.AgentReplies.Add(reply);
        }
    }

    private async Task PromptAsync(string text, CancellationToken cancellationToken)
    {
        _result.CallerSaid.Add(text);
        await SendAsync(new RelayPrompt(text, "en-US", Last: true), cancellationToken);
        _promptSentAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The next complete reply (tokens up to last: true); null when the server ended the session instead.</summary>
    private async Task<string?> NextReplyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReplyTimeout);
        var text = new StringBuilder();
        try
        {
            await foreach (var item in _events.Reader.ReadAllAsync(timeout.Token))
            {
                switch (item)
                {
                    case ServerEvent.Token piece:
                        if (text.Length == 0 && _promptSentAt is { } sent)
                        {
                            _result.TurnLatenciesMs.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                            _promptSentAt = null;
                        }

                        text.Append(piece.Text);
                        if (piece.Last)
                        {
                            return text.ToString().Trim();
                        }

                        break;
                    case ServerEvent.Ended ended:
                        await RunActionAsync(ended.HandoffData, cancellationToken);
                        return null;
                    case ServerEvent.Closed:
                        return null;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The agent never answered: the caller hangs up.
        }

        return null;
    }

    /// <summary>Twilio calls the &lt;Connect action&gt; URL with the session's result and follows its TwiML.</summary>
    private async Task RunActionAsync(string? handoffData, CancellationToken cancellationToken)
    {
        _result.HandoffData = handoffData;
        if (_actionUrl is not { } url)
        {
            return;
        }

        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", _options.AccountSid),
            new("CallSid", _options.CallSid),
            new("CallStatus", "in-progress"),
            new("SessionId", _sessionId),
            new("SessionStatus", "ended"),
            new("SessionDuration", ((int)_result.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        if (handoffData is not null)
        {
            form.Add(new("HandoffData", handoffData));
        }

        (_result.ActionStatusCode, _result.ActionTwiML) = await _leg.PostSignedForTwiMLAsync(url, form, cancellationToken);
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        using var socket = new RelaySocket(_socket!);
        try
        {
            while (await socket.ReceiveAsync(cancellationToken) is { } message)
            {
                _result.ServerMessages.Add(message switch
                {
                    RelayText => "text",
                    RelayEnd => "end",
                    RelayPlay => "play",
                    RelaySendDigits => "sendDigits",
                    RelayLanguage => "language",
                    _ => "other",
                });
                switch (message)
                {
                    case RelayText text:
                        _result.TextTokens++;
                        _events.Writer.TryWrite(new ServerEvent.Token(text.Token, text.Last));
                        break;
                    case RelayEnd end:
                        _events.Writer.TryWrite(new ServerEvent.Ended(end.HandoffData));
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // Closed under us.
        }

        _result.CloseStatus = _socket!.CloseStatus;
        _events.Writer.TryWrite(new ServerEvent.Closed());
    }

    private async Task PlayAsync(string text, CancellationToken cancellationToken) =>
        await Task.Delay(WordsDuration(text), cancellationToken);

    private TimeSpan WordsDuration(string text) =>
        TimeSpan.FromSeconds(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length * 60.0 / Math.Max(1, _options.WordsPerMinute));

    private async Task SendAsync(RelayMessage message, CancellationToken cancellationToken)
    {
        if (_socket!.State == WebSocketState.Open)
        {
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(RelayProtocol.Write(message), WebSocketMessageType.Text, true, cancellationToken);
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }

    /// <summary>Hangs up as Twilio does: close, then wait for the server's close before letting go.</summary>
    private async Task CloseAsync(Task receiver)
    {
        try
        {
            if (_socket!.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "call ended", CancellationToken.None);
            }

            await receiver.WaitAsync(CloseTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (WebSocketException)
        {
            // Already closed.
        }
    }

    private sealed record RelayTwiML(Uri Url, Uri? Action, string WelcomeGreeting, string? Language, IReadOnlyDictionary<string, string> Parameters);

    private abstract record ServerEvent
    {
        public sealed record Token(string Text, bool Last) : ServerEvent;

        public sealed record Ended(string? HandoffData) : ServerEvent;

        public sealed record Closed : ServerEvent;
    }
}
