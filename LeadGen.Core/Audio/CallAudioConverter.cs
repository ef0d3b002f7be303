namespace LeadGen.Core.Audio;

/// <summary>
/// The two audio paths of one call: caller μ-law 8 kHz → PCM16 16 kHz for the model, and model PCM16 24 kHz → μ-law
/// 8 kHz frames for the caller. One instance per call (the resamplers carry filter state).
/// </summary>
public sealed class CallAudioConverter
{
    private readonly Interpolator _upsampler = Interpolator.Telephone8To16();
    private readonly Decimator _downsampler = Decimator.Model24To8();
    private readonly TelephoneFrames _frames = new();

    /// <summary>μ-law 8 kHz (any length) → little-endian PCM16 16 kHz bytes.</summary>
    public byte[] CallerToModel(ReadOnlySpan<byte> mulaw)
    {
        var samples = new short[mulaw.Length];
        MuLaw.Decode(mulaw, samples);
        return Pcm16.ToBytes(_upsampler.Process(samples));
    }

    /// <summary>PCM16 24 kHz bytes → whole 20 ms μ-law frames (the remainder waits for the next chunk or <see cref="FlushToCaller"/>).</summary>
    public IReadOnlyList<byte[]> ModelToCaller(ReadOnlySpan<byte> pcm24k)
    {
        var narrow = _downsampler.Process(Pcm16.FromBytes(pcm24k));
        var mulaw = new byte[narrow.Length];
        MuLaw.Encode(narrow, mulaw);
        return _frames.Append(mulaw);
    }

    /// <summary>The last partial frame of an utterance, padded with silence.</summary>
    public byte[]? FlushToCaller() => _frames.Flush();

    /// <summary>Drops audio not yet framed (barge-in: the caller must not hear the rest).</summary>
    public void DiscardPendingToCaller() => _frames.Reset();
}
