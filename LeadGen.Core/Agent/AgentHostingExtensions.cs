using LeadGen.Core.Agent.Analysis;
using LeadGen.Core.Agent.Conversations;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Gemini;
using LeadGen.Core.Telephony;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Agent;

public static class AgentHostingExtensions
{
    /// <summary>
    /// Registers the qualification agent on the configured Gemini engine (see <see cref="GeminiHostingExtensions"/>):
    /// its tools' store, post-call analysis (<see cref="ICallAnalyzer"/>) and the text conversation service.
    /// Needs the data features (campaigns, leads, calls, compliance) and <c>AddLeadGenGemini</c> first, and from the host
    /// the job queue (<c>AddLeadGenJobQueue</c>) and <c>AddLeadGenTelephonyProvider</c>: a text conversation completes like
    /// a call, through its <see cref="CallLifecycle"/> (lead moved on, analyze-call enqueued).
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenAgent(this IHostApplicationBuilder builder)
    {
        if (GeminiHostingExtensions.FindModelCheckList(builder.Services) is null)
        {
            throw new InvalidOperationException("AddLeadGenAgent needs AddLeadGenGemini first (the chat client the agent runs on).");
        }

        builder.Services.TryAddSingleton<Reporting.OutcomeMetrics>();
        builder.Services.TryAddSingleton<ILeadQualificationStore, LeadQualificationStore>();
        builder.Services.TryAddSingleton<QualificationAgent>();
        builder.Services.TryAddSingleton<ICallAnalyzer, CallAnalyzer>();
        builder.Services.TryAddSingleton<ConversationStore>();
        builder.Services.TryAddSingleton<ConversationService>();
        return builder;
    }
}
