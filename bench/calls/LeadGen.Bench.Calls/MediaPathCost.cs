using System.Diagnostics;
using LeadGen.Core.Audio;
using LeadGen.Core.Gemini.Live;
using LeadGen.Core.Telephony.MediaStreams;

namespace LeadGen.Bench.Calls;

/// <summary>
/// CPU cost of the server's per-frame media work, measured on one thread without sockets: caller frame (parse Media
/// Streams JSON, μ-law decode, 8→16 kHz, Live audio JSON) and model chunk (parse Live JSON, 24→8 kHz, μ-law encode,
/// two Media Streams frames and a mark). It shows how much of a core N calls need for the codec/JSON part alone.
/// </summary>
internal static class MediaPathCost
{
    public static (double CallerFrameMicroseconds, double ModelChunkMicroseconds, double CallerFrameBytes, double ModelChunkBytes) Measure()
    {
        var codec = new TelephoneAudioCodec();
        var payloadBuffer = new byte[TelephoneFrames.FrameBytes];
        var output = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using var writer = new System.Text.Json.Utf8JsonWriter(output);
        var payload = new byte[TelephoneFrames.FrameBytes];
        Random.Shared.NextBytes(payload);
        var callerFrame = MediaStreamProtocol.Write(new MediaEvent("MZ0", 1, 20, payload));
        var pcm24k = new byte[24000 * 2 * 40 / 1000];
        Random.Shared.NextBytes(pcm24k);
        var modelChunk = System.Text.Encoding.UTF8.GetBytes(
            "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\"" + Convert.ToBase64String(pcm24k) + "\"}}]}}}");

        double allocated = 0;
        double Time(int iterations, Action action)
        {
            for (var i = 0; i < iterations / 10; i++)
            {
                action(); // warm up (tiered JIT)
            }

            var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < iterations; i++)
            {
                action();
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMicroseconds / iterations;
            allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - bytesBefore) / iterations;
            return elapsed;
        }

        var caller = Time(20_000, () =>
        {
            if (MediaStreamProtocol.TryReadMediaPayload(callerFrame, ref payloadBuffer, out var length))
            {
                output.ResetWrittenCount();
                writer.Reset();
                GeminiLiveWire.WriteAudio(writer, codec.CallerToEngine(payloadBuffer.AsSpan(0, length), out _).Span);
            }
        });
        var callerBytes = allocated;
        var model = Time(5_000, () =>
        {
            foreach (var item in GeminiLiveWire.Parse(modelChunk).Events)
            {
                if (item is LeadGen.Core.Calls.Realtime.AgentAudio audio)
                {
                    foreach (var frame in codec.EngineToCaller(audio.Pcm))
                    {
                        output.ResetWrittenCount();
                        writer.Reset();
                        MediaStreamProtocol.WriteOutboundMedia(writer, "MZ0", frame);
                    }

                    output.ResetWrittenCount();
                    writer.Reset();
                    MediaStreamProtocol.WriteOutboundMark(writer, "MZ0", "1:40");
                }
            }
        });
        return (caller, model, callerBytes, allocated);
    }
}
