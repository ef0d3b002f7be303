using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace LeadGen.Core.Telephony.ConversationRelay;

public static class ConversationRelayHostingExtensions
{
    /// <summary>
    /// The ConversationRelay voice mode: options (<c>Telephony:ConversationRelay</c>), the webhook's TwiML, the socket
    /// handler and its single-use token guard. The handler drives the text agent, so the host also needs AddLeadGenAgent.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenConversationRelay(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConversationRelayOptions>().Bind(builder.Configuration.GetSection(ConversationRelayOptions.SectionName));
        builder.Services.TryAddSingleton<RelayCallContexts>();
        builder.Services.TryAddSingleton<StreamTokenGuard>();
        builder.Services.TryAddSingleton<ConversationRelayVoice>();
        builder.Services.TryAddSingleton<ConversationRelayHandler>();
        return builder;
    }
}
