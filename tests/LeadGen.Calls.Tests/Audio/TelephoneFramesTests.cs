using LeadGen.Core.Audio;
using LeadGen.Core.Telephony.MediaStreams;

namespace LeadGen.Calls.Tests.Audio;

public sealed class TelephoneFramesTests
{
    [Fact]
    public void Cuts_20_ms_frames_and_keeps_the_remainder_for_the_next_chunk()
    {
        var frames = new TelephoneFrames();
        var audio = Enumerable.Range(0, 500).Select(i => (byte)i).ToArray();

        var first = frames.Append(audio.AsSpan(0, 300));
        var second = frames.Append(audio.AsSpan(300));

        Assert.Single(first);
        Assert.Equal(2, second.Count);
        Assert.All(first.Concat(second), frame => Assert.Equal(160, frame.Length));
        Assert.Equal(audio[..480], first.Concat(second).SelectMany(frame => frame).ToArray());
        Assert.Equal(20, frames.PendingBytes);

        var last = frames.Flush();
        Assert.NotNull(last);
        Assert.Equal(audio[480..], last![..20]);
        Assert.All(last[20..], b => Assert.Equal(TelephoneFrames.Silence, b));
        Assert.Null(frames.Flush());
    }

    [Fact]
    public void Codec_turns_a_second_of_model_audio_into_fifty_frames_and_a_frame_back_into_20_ms_at_16_kHz()
    {
        var codec = new TelephoneAudioCodec();
        var modelAudio = Pcm16.ToBytes(Tone.Sine(440, 24000, 24000));

        var frames = codec.EngineToCaller(modelAudio);

        Assert.Equal(50, frames.Count);
        Assert.Equal(2 * 2 * 160, codec.CallerToEngine(frames[25], out var voiced).Length); // 20 ms at 16 kHz, 2 bytes per sample
        Assert.True(voiced); // a full-scale tone is speech-level
        codec.CallerToEngine(Enumerable.Repeat(TelephoneFrames.Silence, 160).ToArray(), out var silent);
        Assert.False(silent);
    }
}
