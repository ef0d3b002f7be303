using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Calls.Recording;

namespace LeadGen.Calls.Tests.Recording;

/// <summary>The Ogg Opus framing (RFC 3533 pages, RFC 7845 headers) and the recording's timeline, read back independently.</summary>
public sealed class OggOpusWriterTests
{
    [Fact]
    public void Headers_pages_lacing_granules_and_checksums_follow_the_rfcs()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, channels: 2, inputSampleRate: 16_000, preSkip: 312, serial: 1234);
        // Sizes around the lacing edge cases: under 255, exactly 255 (needs a trailing 0), over 255, a multiple of 255.
        int[] sizes = [10, 255, 600, 510, 1];
        foreach (var size in sizes)
        {
            writer.WritePacket(Enumerable.Range(0, size).Select(i => (byte)(i + size)).ToArray(), 960);
        }

        writer.Finish();

        var pages = OggOpusFile.ReadPages(output.ToArray());
        Assert.All(pages, page => Assert.Equal(1234, page.Serial));
        Assert.Equal(Enumerable.Range(0, pages.Count), pages.Select(p => p.Sequence));
        Assert.Equal(0x02, pages[0].Flags); // beginning of stream
        Assert.Equal(0x04, pages[^1].Flags & 0x04); // end of stream
        Assert.All(pages.Skip(1).SkipLast(1), page => Assert.Equal(0, page.Flags));

        var head = Assert.Single(pages[0].Packets);
        Assert.Equal("OpusHead"u8.ToArray(), head[..8]);
        Assert.Equal(19, head.Length);
        Assert.Equal(1, head[8]); // version
        Assert.Equal(2, head[9]); // channels
        Assert.Equal(312, BitConverter.ToUInt16(head, 10)); // pre-skip
        Assert.Equal(16_000u, BitConverter.ToUInt32(head, 12));
        Assert.Equal(0, head[18]); // mapping family
        Assert.Equal("OpusTags"u8.ToArray(), Assert.Single(pages[1].Packets)[..8]);
        Assert.Equal(0, pages[0].Granule);
        Assert.Equal(0, pages[1].Granule);

        var audio = pages.Skip(2).SelectMany(p => p.Packets).ToList();
        Assert.Equal(sizes, audio.Select(p => p.Length));
        Assert.Equal(Enumerable.Range(0, 600).Select(i => (byte)(i + 600)), audio[2]);
        Assert.Equal(sizes.Length * 960, pages[^1].Granule); // 48 kHz samples, whatever the input rate
        Assert.All(pages, page => Assert.False(page.LastPacketContinues));
    }

    [Fact]
    public void Long_streams_are_split_into_pages_of_at_most_a_second_with_growing_granules()
    {
        using var output = new MemoryStream();
        var writer = new OggOpusWriter(output, 2, 16_000, 312, 7);
        for (var i = 0; i < 260; i++)
        {
            writer.WritePacket(new byte[40], 960);
        }

        writer.Finish();
        var audioPages = OggOpusFile.ReadPages(output.ToArray()).Skip(2).ToList();
        Assert.True(audioPages.Count >= 6);
        Assert.All(audioPages, page => Assert.True(page.Packets.Count <= 50));
        Assert.Equal(audioPages.Select(p => p.Granule).Order(), audioPages.Select(p => p.Granule));
        Assert.Equal(260 * 960, audioPages[^1].Granule);
    }

    [Theory]
    [InlineData(8_000)]
    [InlineData(16_000)]
    public void Caller_and_agent_are_two_time_aligned_channels_and_a_barge_in_cuts_the_agent_where_it_was_cut(int rate)
    {
        using var output = new MemoryStream();
        var options = new RecordingOptions { SampleRate = rate };
        using var recording = new CallRecording(output, new EngineAudioFormat(16_000, 24_000), options);
        var callerFrame = TimeSpan.FromMilliseconds(20);
        void CallerFor(TimeSpan duration, bool speaking)
        {
            for (var t = TimeSpan.Zero; t < duration; t += callerFrame)
            {
                recording.Caller(speaking ? OggOpusFile.Tone(300, callerFrame, 16_000) : new byte[640]);
            }
        }

        CallerFor(TimeSpan.FromSeconds(1), speaking: true); // 0–1 s: the caller talks, the agent is silent
        recording.Agent(OggOpusFile.Tone(1000, TimeSpan.FromSeconds(3), 24_000)); // 3 s of reply sent at once, ahead of play-out
        CallerFor(TimeSpan.FromSeconds(1), speaking: false); // 1–2 s: the agent's reply plays
        CallerFor(TimeSpan.FromSeconds(0.5), speaking: true); // 2–2.5 s: the caller barges in…
        recording.ClearAgent(); // …and the rest of the reply (from 2.5 s) is dropped
        CallerFor(TimeSpan.FromSeconds(1.5), speaking: false); // 2.5–4 s: silence both sides
        recording.Agent(OggOpusFile.Tone(1000, TimeSpan.FromSeconds(5), 24_000)); // queued but never played: the call ends
        Assert.Equal(TimeSpan.FromSeconds(4), recording.Finish());

        var (left, right) = OggOpusFile.Decode(output.ToArray());
        Assert.InRange(left.Length, (4 * OggOpusFile.DecodeRate) - 800, 4 * OggOpusFile.DecodeRate);
        static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
        var speech = 1000.0; // the tones' RMS is ~5,600; silence decodes to near 0
        Assert.True(OggOpusFile.Rms(left, S(0.1), S(0.9)) > speech, "caller speech on the left");
        Assert.True(OggOpusFile.Rms(right, S(0.1), S(0.9)) < speech / 10, "no agent on the right while only the caller talks");
        Assert.True(OggOpusFile.Rms(right, S(1.1), S(2.4)) > speech, "the agent's reply plays from 1 s, when it was sent");
        Assert.True(OggOpusFile.Rms(left, S(1.1), S(1.9)) < speech / 10, "no caller on the left while the agent talks");
        Assert.True(OggOpusFile.Rms(left, S(2.1), S(2.4)) > speech, "both channels carry the barge-in");
        Assert.True(OggOpusFile.Rms(right, S(2.6), S(4)) < speech / 10, "the agent's channel stops where it was cut");
    }

    [Fact]
    public void A_reply_sent_while_the_callers_audio_runs_late_starts_where_the_person_heard_it()
    {
        using var output = new MemoryStream();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var recording = new CallRecording(output, new EngineAudioFormat(16_000, 24_000), new RecordingOptions(), clock);
        var frame = TimeSpan.FromMilliseconds(20);
        for (var i = 0; i < 50; i++)
        {
            recording.Caller(new byte[640]); // 1 s of caller audio, on time
            clock.Advance(frame);
        }

        clock.Advance(TimeSpan.FromSeconds(2)); // the host stalls: 2 s of caller audio are still in flight
        recording.Agent(OggOpusFile.Tone(1000, TimeSpan.FromSeconds(0.5), 24_000)); // the reply goes out (and is heard) now
        for (var i = 0; i < 200; i++)
        {
            recording.Caller(new byte[640]); // the late caller audio arrives in a burst, then more
        }

        recording.Finish();
        var (_, right) = OggOpusFile.Decode(output.ToArray());
        static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
        Assert.True(OggOpusFile.Rms(right, S(1.1), S(2.9)) < 100, "not at 1 s, where the caller's late audio had got to");
        Assert.True(OggOpusFile.Rms(right, S(3.05), S(3.45)) > 1000, "at 3 s, when it was sent and heard");
    }

    [Fact]
    public void A_recording_with_no_caller_audio_is_empty_and_still_a_valid_stream()
    {
        using var output = new MemoryStream();
        using var recording = new CallRecording(output, new EngineAudioFormat(16_000, 24_000), new RecordingOptions());
        recording.Agent(OggOpusFile.Tone(1000, TimeSpan.FromSeconds(1), 24_000));
        Assert.Equal(TimeSpan.Zero, recording.Finish());
        var pages = OggOpusFile.ReadPages(output.ToArray());
        Assert.Equal(0x04, pages[^1].Flags & 0x04);
    }
}
