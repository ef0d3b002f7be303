using LeadGen.Core.Calls.Live;

namespace LeadGen.Calls.Tests.Live;

public sealed class CallerAudioBatchTests
{
    private const int FrameBytes = 640; // 20 ms at 16 kHz

    [Fact]
    public void Frames_that_may_wait_go_out_two_to_a_message_in_order()
    {
        var batch = new CallerAudioBatch(2 * 16000);

        Assert.True(batch.Add(Frame(1), mayWait: true).IsEmpty);
        var message = batch.Add(Frame(2), mayWait: true);

        Assert.Equal(2 * FrameBytes, message.Length);
        Assert.Equal([1, 2], new[] { message.Span[0], message.Span[FrameBytes] });
        Assert.True(batch.TakeHeld().IsEmpty);
    }

    [Fact]
    public void A_frame_that_must_not_wait_goes_out_at_once_with_what_was_held()
    {
        var batch = new CallerAudioBatch(2 * 16000);

        var alone = Frame(7);
        Assert.Equal(alone, batch.Add(alone, mayWait: false)); // nothing held: the frame itself, no copy
        Assert.True(batch.Add(Frame(8), mayWait: true).IsEmpty); // the caller's last voiced frame
        var message = batch.Add(Frame(9), mayWait: false); // the silence after it: the model is about to answer

        Assert.Equal([8, 9], new[] { message.Span[0], message.Span[FrameBytes] });
    }

    [Fact]
    public void A_piece_as_long_as_a_message_is_never_held_and_the_call_end_takes_what_is_left()
    {
        var batch = new CallerAudioBatch(2 * 16000);

        Assert.Equal(2 * FrameBytes, batch.Add(new byte[2 * FrameBytes], mayWait: true).Length);
        Assert.True(batch.Add(Frame(5), mayWait: true).IsEmpty);
        var rest = batch.TakeHeld();

        Assert.Equal((FrameBytes, (byte)5), (rest.Length, rest.Span[0]));
        Assert.True(batch.TakeHeld().IsEmpty);
    }

    private static byte[] Frame(byte marker)
    {
        var frame = new byte[FrameBytes];
        frame[0] = marker;
        return frame;
    }
}
