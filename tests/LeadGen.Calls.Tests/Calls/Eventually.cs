namespace LeadGen.Calls.Tests.Calls;

/// <summary>The server finishes a call (last transcript writes) just after the simulator sees the socket close.</summary>
internal static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 50 && !done(value); i++)
        {
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }
}
