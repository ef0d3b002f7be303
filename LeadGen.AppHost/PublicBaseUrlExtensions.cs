using Aspire.Hosting.ApplicationModel;

namespace LeadGen.AppHost;

/// <summary>
/// <c>PublicBaseUrl</c>: the URL Twilio reaches the voice API at. It signs webhooks over it and the media stream's
/// wss:// URL is derived from it, so the voice API and the Worker (whose dialer builds the callback URLs) need it.
/// </summary>
internal static class PublicBaseUrlExtensions
{
    public const string EnvironmentName = "PublicBaseUrl";

    /// <summary>
    /// Publish mode: the plain parameter <c>public-base-url</c> (the publisher takes its value from
    /// <c>--parameter public-base-url=https://...</c>). Run mode: <c>Parameters:public-base-url</c> when configured
    /// (e.g. a tunnel to this machine), else the voice API's own http endpoint (enough for the telephony simulator).
    /// </summary>
    public static ReferenceExpression AddLeadGenPublicBaseUrl(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> voiceApi)
    {
        if (builder.ExecutionContext.IsPublishMode
            || !string.IsNullOrEmpty(builder.Configuration[$"Parameters:{ResourceNames.PublicBaseUrl}"]))
        {
            var parameter = builder.AddParameter(ResourceNames.PublicBaseUrl, secret: false);
            return ReferenceExpression.Create($"{parameter.Resource}");
        }

        var endpoint = voiceApi.GetEndpoint("http");
        return ReferenceExpression.Create($"{endpoint}");
    }

    public static IResourceBuilder<ProjectResource> WithPublicBaseUrl(this IResourceBuilder<ProjectResource> project, ReferenceExpression publicBaseUrl) =>
        project.WithEnvironment(EnvironmentName, publicBaseUrl);
}
