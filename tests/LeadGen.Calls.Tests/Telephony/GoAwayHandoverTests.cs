using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini.Live;

namespace LeadGen.Calls.Tests.Telephony;

public sealed class GoAwayHandoverTests
{
    [Fact]
    public void GoAway_while_idle_with_a_current_handle_moves_at_once()
    {
        var handover = new GoAwayHandover();
        Assert.False(handover.ShouldMoveAfter(Message(handle: "h1")));

        Assert.True(handover.ShouldMoveAfter(Message(goAway: true)));
    }

    [Fact]
    public void GoAway_during_a_reply_waits_for_the_turn_to_end_and_a_handle_issued_after_it()
    {
        var handover = new GoAwayHandover();
        handover.ShouldMoveAfter(Message(handle: "h1"));
        Assert.False(handover.ShouldMoveAfter(Message(events: [new AgentAudio([1, 2])])));

        Assert.False(handover.ShouldMoveAfter(Message(goAway: true)));
        Assert.False(handover.ShouldMoveAfter(Message(events: [new AgentTranscript("still talking")])));
        Assert.False(handover.ShouldMoveAfter(Message(events: [new AgentTurnComplete()])));
        Assert.True(handover.ShouldMoveAfter(Message(handle: "h2")));
    }

    [Fact]
    public void A_turn_that_ends_and_carries_its_handle_in_the_same_message_moves_then()
    {
        var handover = new GoAwayHandover();
        handover.ShouldMoveAfter(Message(events: [new CallerTranscript("hello")]));
        handover.ShouldMoveAfter(Message(goAway: true));

        Assert.True(handover.ShouldMoveAfter(Message(events: [new AgentInterrupted()], handle: "h3")));
    }

    [Fact]
    public void Without_goAway_it_never_moves()
    {
        var handover = new GoAwayHandover();

        Assert.False(handover.ShouldMoveAfter(Message(handle: "h1")));
        Assert.False(handover.ShouldMoveAfter(Message(events: [new AgentTurnComplete()], handle: "h2")));
    }

    [Fact]
    public void It_moves_once_per_goAway()
    {
        var handover = new GoAwayHandover();
        handover.ShouldMoveAfter(Message(handle: "h1"));
        Assert.True(handover.ShouldMoveAfter(Message(goAway: true)));

        Assert.False(handover.ShouldMoveAfter(Message(handle: "h2")));
    }

    private static ServerMessage Message(IReadOnlyList<RealtimeEvent>? events = null, bool goAway = false, string? handle = null) =>
        new(events ?? []) { GoAway = goAway, ResumptionHandle = handle };
}
