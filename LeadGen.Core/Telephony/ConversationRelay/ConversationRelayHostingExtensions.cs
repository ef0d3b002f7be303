using LeadGen.Core.Calls.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Telephony.ConversationRelay;

public static class ConversationRelayHostingExtensions
{
    /// <summary>
    /// The ConversationRelay voice mode: options (<c>Telephony:ConversationRelay</c>), the webhook's TwiML, the socket
    /// handler and its single-use token guard, and the text engine the calls run on. The calls run through the live call
    /// runner (AddLeadGenLiveCalls) on the text agent's chat client, so the host also needs AddLeadGenAgent.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenConversationRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConversationRelayOptions>().Bind(builder.Configuration.GetSection(ConversationRelayOptions.SectionName)).ValidateOnStart();
        builder.Services.TryAddSingleton<RelayCallContexts>();
        builder.Services.TryAddSingleton<StreamTokenGuard>();
        builder.Services.TryAddSingleton<ConversationRelayVoice>();
        builder.Services.TryAddSingleton<ConversationRelayHandler>();
        builder.Services.TryAddSingleton<TextAgentEngine>();
        return builder;
    }
}
