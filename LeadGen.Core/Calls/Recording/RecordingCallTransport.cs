using LeadGen.Core.Calls.Live;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Recording;

/// <summary>
/// A tap on the transport seam: everything passes through unchanged while the recording hears the caller's audio as it
/// arrives, the agent's audio as it is sent, and the barge-in clears that cut it.
/// </summary>
internal sealed class RecordingCallTransport(ICallTransport inner, CallRecording recording) : ICallTransport
{
    public bool CanTransfer => inner.CanTransfer;

    public bool CarriesText => inner.CarriesText;

    public string? SpokenGreeting => inner.SpokenGreeting;

    public TimeSpan? SilenceTimeout => inner.SilenceTimeout;

    public ValueTask SendAgentTextAsync(int turn, string text, CancellationToken cancellationToken) => inner.SendAgentTextAsync(turn, text, cancellationToken);

    public void UseEngineAudio(EngineAudioFormat format) => inner.UseEngineAudio(format);

    public Task ReceiveAsync(ICallTransportEvents events, CancellationToken cancellationToken) =>
        inner.ReceiveAsync(new Events(events, recording), cancellationToken);

    public ValueTask SendAgentAudioAsync(int turn, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        recording.Agent(pcm.Span);
        return inner.SendAgentAudioAsync(turn, pcm, cancellationToken);
    }

    public ValueTask EndAgentTurnAsync(int turn, CancellationToken cancellationToken) => inner.EndAgentTurnAsync(turn, cancellationToken);

    public ValueTask ClearAgentAudioAsync(CancellationToken cancellationToken)
    {
        recording.ClearAgent();
        return inner.ClearAgentAudioAsync(cancellationToken);
    }

    public ValueTask CarryOutAsync(CallIntent intent, CancellationToken cancellationToken) => inner.CarryOutAsync(intent, cancellationToken);

    public ValueTask CloseAsync(CallCloseReason reason) => inner.CloseAsync(reason);

    private sealed class Events(ICallTransportEvents inner, CallRecording recording) : ICallTransportEvents
    {
        public ValueTask OnCallerAudioAsync(ReadOnlyMemory<byte> pcm, bool voiced, CancellationToken cancellationToken)
        {
            recording.Caller(pcm.Span);
            return inner.OnCallerAudioAsync(pcm, voiced, cancellationToken);
        }

        public ValueTask OnCallerTextAsync(string text, CancellationToken cancellationToken) => inner.OnCallerTextAsync(text, cancellationToken);

        public ValueTask OnCallerInterruptedAsync(string heard, CancellationToken cancellationToken) => inner.OnCallerInterruptedAsync(heard, cancellationToken);

        public ValueTask OnKeyPressedAsync(string key, CancellationToken cancellationToken) => inner.OnKeyPressedAsync(key, cancellationToken);

        public ValueTask OnAgentAudioPlayedAsync(int turn, int playedMs, bool turnComplete, CancellationToken cancellationToken) =>
            inner.OnAgentAudioPlayedAsync(turn, playedMs, turnComplete, cancellationToken);
    }
}
