using LeadGen.Core.Calls.Realtime;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Tool calls the engine asked for whose effect waits until the model's turn is final (<see cref="ToolDispatcher.Withdrawable"/>):
/// kept here until <see cref="CommitAsync"/> carries them out, or <see cref="Withdraw"/> drops them because the model
/// took them back (<c>toolCallCancellation</c> after a barge-in). Safe from the caller side and the engine side at once.
/// </summary>
public sealed class WithdrawableTools(ToolDispatcher tools)
{
    private readonly Lock _gate = new();
    private readonly List<RealtimeToolCall> _uncommitted = [];

    public void Add(IReadOnlyList<RealtimeToolCall>? calls)
    {
        if (calls is not { Count: > 0 })
        {
            return;
        }

        lock (_gate)
        {
            _uncommitted.AddRange(calls);
        }
    }

    /// <summary>Carries out what is waiting; returns a transcript note per call.</summary>
    public async Task<IReadOnlyList<string>> CommitAsync(CancellationToken cancellationToken)
    {
        RealtimeToolCall[] calls;
        lock (_gate)
        {
            calls = [.. _uncommitted];
            _uncommitted.Clear();
        }

        return calls.Length == 0 ? [] : await tools.CommitAsync(calls, cancellationToken);
    }

    /// <returns>How many of <paramref name="ids"/> were waiting (and will now never take effect).</returns>
    public int Withdraw(IReadOnlyList<string> ids)
    {
        lock (_gate)
        {
            return _uncommitted.RemoveAll(call => ids.Contains(call.Id));
        }
    }
}
