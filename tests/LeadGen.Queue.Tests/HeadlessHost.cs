using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Queue.Tests;

/// <summary>
/// A Worker-like process for one test: a generic host (no web server, no default sources) over the given database and
/// Redis, with the test's settings on top of the host's defaults. <c>HostOptions:ShutdownTimeout</c> (2 s unless set)
/// bounds how long running jobs get at stop.
/// </summary>
internal static class HeadlessHost
{
    public static async Task<IHost> CreateAsync(
        string database,
        string redis,
        IReadOnlyDictionary<string, string?> defaults,
        IDictionary<string, string?>? settings,
        bool start,
        Action<HostApplicationBuilder> register)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>(defaults)
        {
            ["ConnectionStrings:leadgendb"] = database,
            ["ConnectionStrings:cache"] = redis,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        var shutdownTimeout = configuration.GetValueOrDefault("HostOptions:ShutdownTimeout") is { } timeout
            ? TimeSpan.Parse(timeout, CultureInfo.InvariantCulture)
            : TimeSpan.FromSeconds(2);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = shutdownTimeout);
        register(builder);
        var host = builder.Build();
        if (start)
        {
            await host.StartAsync();
        }

        return host;
    }
}
