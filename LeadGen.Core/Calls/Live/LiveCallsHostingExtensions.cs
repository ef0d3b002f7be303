using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls.Control;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Calls.Live;

public static class LiveCallsHostingExtensions
{
    /// <summary>
    /// Live calls, whatever the transport and engine: the runner and coordinator's collaborators (context from the call,
    /// campaign and lead; the agent's tools; transcript storage; the Redis live-call list; metrics). No engine is added
    /// here (<c>AddLeadGenGeminiLive</c> does); without one the voice webhook answers that no model is configured.
    /// Options: <c>LiveCalls</c>, validated on start.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenLiveCalls(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.AddOptions<LiveCallOptions>()
            .Bind(builder.Configuration.GetSection(LiveCallOptions.SectionName))
            .Validate(options => options.CapacityCallbackDelay > TimeSpan.Zero, "LiveCalls:CapacityCallbackDelay must be a positive duration.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallMetrics>();
        services.TryAddSingleton<LiveCallRegistry>();
        services.TryAddSingleton<LiveCallRunner>();
        services.TryAddSingleton<CallControlChannel>(); // operators' commands reach the call's instance
        services.TryAddSingleton<EngineCapacityBackoff>();
        services.TryAddSingleton<EngineAtCapacity>();
        services.TryAddSingleton<ICallContextProvider, CallContextProvider>();
        services.TryAddSingleton<Reporting.OutcomeMetrics>();
        services.TryAddSingleton<ILeadQualificationStore, LeadQualificationStore>();
        services.TryAddSingleton<AgentLiveCallTools>();
        services.TryAddSingleton<ILiveCallToolExecutor>(sp => sp.GetRequiredService<AgentLiveCallTools>());
        services.TryAddSingleton<ICallEventSink, PostgresCallEventSink>();
        services.TryAddSingleton<IRealtimeVoiceClient, NoVoiceEngine>();
        return builder;
    }
}
