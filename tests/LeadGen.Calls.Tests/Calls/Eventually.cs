namespace LeadGen.Calls.Tests.Calls;

/// <summary>
/// Waits for what the server finishes just after the simulator sees the socket close (the last transcript writes, the
/// Redis live entry). Polls until <c>done</c> or the timeout (generous: a loaded 2-core machine can take seconds),
/// then returns the last value read so the caller's assertions report what was actually there.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }
}
