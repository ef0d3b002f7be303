namespace LeadGen.Core.Calls.Live;

/// <summary>
/// Notices a silent line: once the agent's turn has played out, nothing from the caller for <c>timeout</c> fires
/// <c>onSilence</c> with how many times in a row that happened (the coordinator asks once, then says goodbye). Caller
/// speech resets the count; a new agent turn only disarms the timer. Used for transports that name a timeout.
/// </summary>
public sealed class SilenceWatch(TimeSpan timeout, TimeProvider time, Func<int, Task> onSilence) : IDisposable
{
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private int _generation;
    private int _silences;

    /// <summary>The agent finished speaking: the silence starts now.</summary>
    public void AgentFinished()
    {
        lock (_gate)
        {
            var generation = ++_generation;
            _timer?.Dispose();
            _timer = time.CreateTimer(_ => Fire(generation), null, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The agent started speaking again.</summary>
    public void AgentSpeaking() => Disarm(resetCount: false);

    /// <summary>The caller said something.</summary>
    public void CallerSpoke() => Disarm(resetCount: true);

    public void Dispose() => Disarm(resetCount: false);

    private void Disarm(bool resetCount)
    {
        lock (_gate)
        {
            _generation++;
            _timer?.Dispose();
            _timer = null;
            if (resetCount)
            {
                _silences = 0;
            }
        }
    }

    private void Fire(int generation)
    {
        int silences;
        lock (_gate)
        {
            if (generation != _generation)
            {
                return; // disarmed or re-armed since
            }

            _timer?.Dispose();
            _timer = null;
            silences = ++_silences;
        }

        _ = RunAsync(silences);
    }

    private async Task RunAsync(int silences)
    {
        try
        {
            await onSilence(silences);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // The call ended meanwhile.
        }
    }
}
