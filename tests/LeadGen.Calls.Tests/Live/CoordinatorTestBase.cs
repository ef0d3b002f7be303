using LeadGen.Core.Calls;
using LeadGen.Core.Calls.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LeadGen.Calls.Tests.Live;

/// <summary>
/// What every coordinator test class starts from: one <see cref="CallCoordinator"/> between in-memory fakes (engine,
/// transport, sink, tools) on a fake clock, with its engine loop running — until the test's call is cancelled, or, for
/// text calls, until the coordinator itself ends the call.
/// </summary>
public abstract class CoordinatorTestBase<TEngine, TTransport, TSink> : IAsyncDisposable
    where TTransport : ICallTransport
    where TSink : ICallEventSink
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly bool _loopUntilCallEnds;

    protected CoordinatorTestBase(TEngine engine, TTransport transport, TSink sink, Func<TEngine, ICallEngine> asCallEngine, bool loopUntilCallEnds = false)
    {
        (_engine, _transport, _sink, _loopUntilCallEnds) = (engine, transport, sink, loopUntilCallEnds);
        _metrics = new CallMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _coordinator = new CallCoordinator(PartsTests.Context("+15550109999"), transport, asCallEngine(engine), sink, _tools, _metrics, _time, NullLogger.Instance);
        _engineLoop = _coordinator.RunEngineAsync(loopUntilCallEnds ? _coordinator.Ended : _call.Token);
    }

#pragma warning disable CA1051 // the tests read these directly, as their own fields before this base existed
    protected readonly FakeTimeProvider _time = new();
    protected readonly TEngine _engine;
    protected readonly TTransport _transport;
    protected readonly TSink _sink;
    protected readonly FakeTools _tools = new();
    protected readonly CallMetrics _metrics;
    protected readonly CallCoordinator _coordinator;
    protected readonly Task _engineLoop;
    protected readonly CancellationTokenSource _call = new();
#pragma warning restore CA1051

    public async ValueTask DisposeAsync()
    {
        if (_loopUntilCallEnds)
        {
            await _coordinator.DisposeAsync(); // again for most tests: disposing twice is harmless
            await _engineLoop.WaitAsync(Wait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        else
        {
            await _call.CancelAsync();
            await _engineLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await _coordinator.DisposeAsync();
        }

        _call.Dispose();
        await _services.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static async Task UntilAsync(Func<bool> condition)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(started.Elapsed < Wait, "condition not met in time");
            await Task.Delay(1);
        }
    }
}
