namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Caller audio on its way to the engine, in messages of up to <see cref="MessageMilliseconds"/> where waiting for the
/// next frame cannot be heard, and at once where it can. A telephone frame is 20 ms; each message to the engine costs a
/// send (a syscall, and with Gemini Live a JSON envelope with base64), so pairing frames halves that work. A held frame
/// waits at most one frame: it goes out with the next one, whatever that is. Not thread-safe (the transport's receive
/// loop is its only caller); what <see cref="Add"/> returns is valid until the next call.
/// </summary>
public sealed class CallerAudioBatch(int bytesPerSecond)
{
    /// <summary>The longest message: two telephone frames.</summary>
    public const int MessageMilliseconds = 40;

    private readonly int _messageBytes = bytesPerSecond * MessageMilliseconds / 1000;
    private byte[] _held = [];
    private int _heldLength;

    /// <param name="pcm">The next piece of caller audio (valid for this call only).</param>
    /// <param name="mayWait">
    /// True when a short delay is inaudible: the caller is speaking (the engine cannot be about to answer) or the agent's
    /// audio is playing (only a barge-in would matter, and its detection takes far longer than one frame). False in the
    /// silence after the caller spoke, when the engine is deciding that the caller's turn has ended.
    /// </param>
    /// <returns>What to send now (empty: held for the next piece).</returns>
    public ReadOnlyMemory<byte> Add(ReadOnlyMemory<byte> pcm, bool mayWait)
    {
        var total = _heldLength + pcm.Length;
        if (mayWait && total < _messageBytes)
        {
            Append(pcm.Span);
            return ReadOnlyMemory<byte>.Empty;
        }

        if (_heldLength == 0)
        {
            return pcm;
        }

        Append(pcm.Span);
        _heldLength = 0;
        return _held.AsMemory(0, total);
    }

    /// <summary>Whatever is held (the call is ending); empty when nothing is.</summary>
    public ReadOnlyMemory<byte> TakeHeld()
    {
        var held = _held.AsMemory(0, _heldLength);
        _heldLength = 0;
        return held;
    }

    private void Append(ReadOnlySpan<byte> pcm)
    {
        if (_held.Length < _heldLength + pcm.Length)
        {
            Array.Resize(ref _held, Math.Max(_messageBytes, _heldLength + pcm.Length));
        }

        pcm.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += pcm.Length;
    }
}
