using LeadGen.Core.Agent;
using LeadGen.Core.Dialer;
using LeadGen.Core.Gemini;
using LeadGen.Core.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Tests.Registration;

/// <summary>
/// Each options class is bound once, in its feature's Add…, and validated when the host starts: a bad value stops the
/// host before it serves or consumes anything, with a message naming the setting.
/// </summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public async Task A_bad_queue_setting_stops_the_host_at_start_naming_the_setting()
    {
        using var host = Build(new() { ["Queue:MaxAttempts"] = "0" }, builder => builder.AddLeadGenJobQueue());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Queue:MaxAttempts must be at least 1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_gemini_mode_stops_the_host_at_start_naming_the_setting()
    {
        using var host = Build(new() { ["Gemini:Mode"] = "openai" }, builder => builder.AddLeadGenGemini());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Gemini:Mode must be vertex, apikey or offline.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zero_dialer_interval_stops_the_host_at_start_naming_the_setting()
    {
        using var host = Build(new() { ["Dialer:Interval"] = "00:00:00" }, builder => builder.AddLeadGenDialer());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Dialer:Interval must be a positive duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_start()
    {
        using var host = Build(new() { ["Queue:MaxAttempts"] = "3", ["Gemini:Mode"] = "offline" }, builder =>
        {
            builder.AddLeadGenJobQueue();
            builder.AddLeadGenGemini();
        });

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void The_agent_refuses_to_register_without_the_gemini_feature()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddLeadGenAgent());

        Assert.Contains("AddLeadGenGemini", error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> settings, Action<IHostApplicationBuilder> add)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        add(builder);
        return builder.Build();
    }
}
