namespace LeadGen.Core.Audio;

/// <summary>
/// Cuts μ-law audio into 20 ms telephone frames (160 bytes at 8 kHz), the size a Media Stream carries. Keeps the
/// remainder until more audio arrives; <see cref="Flush"/> pads the last partial frame with silence.
/// </summary>
public sealed class TelephoneFrames
{
    public const int SampleRate = 8000;
    public const int FrameMilliseconds = 20;
    public const int FrameBytes = SampleRate * FrameMilliseconds / 1000;

    /// <summary>μ-law encoding of 0 (digital silence).</summary>
    public const byte Silence = 0xFF;

    private readonly byte[] _pending = new byte[FrameBytes];
    private int _pendingLength;

    public int PendingBytes => _pendingLength;

    public IReadOnlyList<byte[]> Append(ReadOnlySpan<byte> mulaw)
    {
        var frames = new List<byte[]>((_pendingLength + mulaw.Length) / FrameBytes);
        while (!mulaw.IsEmpty)
        {
            var take = Math.Min(FrameBytes - _pendingLength, mulaw.Length);
            mulaw[..take].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += take;
            mulaw = mulaw[take..];
            if (_pendingLength == FrameBytes)
            {
                frames.Add(_pending.ToArray());
                _pendingLength = 0;
            }
        }

        return frames;
    }

    public byte[]? Flush()
    {
        if (_pendingLength == 0)
        {
            return null;
        }

        var frame = _pending.ToArray();
        frame.AsSpan(_pendingLength).Fill(Silence);
        _pendingLength = 0;
        return frame;
    }

    public void Reset() => _pendingLength = 0;
}
