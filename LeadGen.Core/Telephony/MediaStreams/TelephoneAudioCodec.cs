using LeadGen.Core.Audio;
using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Telephony.MediaStreams;

/// <summary>
/// The two audio paths of one telephone call: caller μ-law 8 kHz → engine PCM16 16 kHz (decoded once: the voice
/// activity decision and the up-sampling share the samples; every buffer is reused, so a 20 ms frame allocates
/// nothing), and engine PCM16 24 kHz → whole 20 ms μ-law frames for the caller. One instance per call (the resamplers
/// carry filter state); not thread-safe.
/// </summary>
public sealed class TelephoneAudioCodec
{
    public static EngineAudioFormat SupportedEngineAudio { get; } = new(16000, 24000);

    private readonly Interpolator _upsampler = Interpolator.Telephone8To16();
    private readonly Decimator _downsampler = Decimator.Model24To8();
    private readonly TelephoneFrames _frames = new();
    private short[] _narrow = new short[TelephoneFrames.FrameBytes];
    private short[] _wide = new short[2 * TelephoneFrames.FrameBytes];
    private byte[] _pcm = new byte[4 * TelephoneFrames.FrameBytes];
    private short[] _agent = [];
    private short[] _agentNarrow = [];
    private byte[] _agentMuLaw = [];

    /// <exception cref="NotSupportedException">The engine's rates are not 16 kHz in and 24 kHz out.</exception>
    public static void EnsureSupported(EngineAudioFormat format)
    {
        if (format != SupportedEngineAudio)
        {
            throw new NotSupportedException($"Telephone audio needs an engine taking 16 kHz and speaking 24 kHz PCM16, not {format}.");
        }
    }

    /// <summary>μ-law 8 kHz (any length) → PCM16 16 kHz bytes; valid until the next call.</summary>
    public ReadOnlyMemory<byte> CallerToEngine(ReadOnlySpan<byte> mulaw, out bool voiced)
    {
        Grow(ref _narrow, mulaw.Length);
        Grow(ref _wide, 2 * mulaw.Length);
        Grow(ref _pcm, 4 * mulaw.Length);
        var narrow = _narrow.AsSpan(0, mulaw.Length);
        MuLaw.Decode(mulaw, narrow);
        voiced = VoiceActivity.IsVoiced(narrow);
        var wide = _wide.AsSpan(0, _upsampler.Process(narrow, _wide));
        Pcm16.Write(wide, _pcm);
        return _pcm.AsMemory(0, 2 * wide.Length);
    }

    /// <summary>PCM16 24 kHz bytes → whole 20 ms μ-law frames (the remainder waits for the next chunk or <see cref="FlushToCaller"/>).</summary>
    public IReadOnlyList<byte[]> EngineToCaller(ReadOnlySpan<byte> pcm24k)
    {
        var count = pcm24k.Length / 2;
        Grow(ref _agent, count);
        Pcm16.Read(pcm24k, _agent);

        Grow(ref _agentNarrow, _downsampler.OutputLength(count));
        var narrow = _agentNarrow.AsSpan(0, _downsampler.Process(_agent.AsSpan(0, count), _agentNarrow));
        Grow(ref _agentMuLaw, narrow.Length);
        MuLaw.Encode(narrow, _agentMuLaw);
        return _frames.Append(_agentMuLaw.AsSpan(0, narrow.Length));
    }

    /// <summary>The last partial frame of an utterance, padded with silence.</summary>
    public byte[]? FlushToCaller() => _frames.Flush();

    /// <summary>Drops audio not yet framed (barge-in: the caller must not hear the rest).</summary>
    public void DiscardPendingToCaller() => _frames.Reset();

    private static void Grow<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[length];
        }
    }
}
