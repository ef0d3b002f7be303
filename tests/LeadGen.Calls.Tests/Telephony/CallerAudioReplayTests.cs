using System.Text;
using LeadGen.Core.Gemini.Live;

namespace LeadGen.Calls.Tests.Telephony;

/// <summary>What a reconnect sends again: the messages the old connection had not consumed, then what was held.</summary>
public sealed class CallerAudioReplayTests
{
    private static byte[] Message(int n) => Encoding.UTF8.GetBytes($"m{n}");

    private static string Text(byte[] message) => Encoding.UTF8.GetString(message);

    [Fact]
    public void Unconsumed_messages_are_replayed_in_order_then_the_audio_held_while_reconnecting()
    {
        using var replay = new CallerAudioReplay(capacity: 100);
        replay.Sent(Message(0)); // index 1 (setup is 0)
        replay.Consumed(1);
        for (var n = 1; n <= 5; n++)
        {
            replay.Sent(Message(n)); // indexes 2..6
        }

        replay.Consumed(3); // m1 and m2 are in the server's state
        replay.StartHolding();
        Assert.True(replay.TryHold(new byte[] { 1, 0 }));
        var messages = replay.TakeForNewConnection();
        replay.StopHolding();

        Assert.Equal(["m3", "m4", "m5"], messages.Take(3).Select(Text));
        Assert.Contains("realtimeInput", Text(messages[3]), StringComparison.Ordinal);
        Assert.Equal(4, messages.Count);
        Assert.False(replay.TryHold(new byte[] { 1, 0 }));
        Assert.Empty(replay.TakeForNewConnection()); // counting restarted for the new connection
    }

    [Fact]
    public void Messages_sent_before_the_first_report_arrived_are_replayed_if_that_report_does_not_cover_them()
    {
        using var replay = new CallerAudioReplay(capacity: 100);
        for (var n = 1; n <= 30; n++)
        {
            replay.Sent(Message(n)); // indexes 1..30, sent before the client has read the server's first report
        }

        replay.Consumed(25); // the first report: it covers only up to m25
        Assert.Equal(["m26", "m27", "m28", "m29", "m30"], replay.TakeForNewConnection().Select(Text));

        using var silent = new CallerAudioReplay(capacity: 100);
        for (var n = 1; n <= 80; n++)
        {
            silent.Sent(Message(n)); // a server that never reports: at most the last second is kept
        }

        Assert.Empty(silent.TakeForNewConnection()); // and nothing is sent to it twice
        Assert.Equal(0, silent.Dropped);
    }

    [Fact]
    public void The_buffer_is_bounded_and_says_what_it_dropped()
    {
        using var replay = new CallerAudioReplay(capacity: 3);
        replay.Consumed(0);
        for (var n = 0; n < 5; n++)
        {
            replay.Sent(Message(n));
        }

        Assert.Equal(["m2", "m3", "m4"], replay.TakeForNewConnection().Select(Text));
        Assert.Equal(2, replay.Dropped);
    }
}
