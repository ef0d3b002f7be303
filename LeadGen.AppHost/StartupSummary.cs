using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadGen.AppHost;

/// <summary>
/// Run mode: once the voice API and the Worker are healthy, logs one block with every local URL and where the
/// management API key is kept (its file, never its value), so <c>./run.sh</c> and <c>dotnet run</c> both say where
/// everything is.
/// </summary>
internal static class StartupSummary
{
    public const string LoggerCategory = "LeadGen.AppHost.StartupSummary";

    // Aspire's name for its dashboard resource (its constant is internal); absent when the dashboard is disabled.
    private const string DashboardResourceName = "aspire-dashboard";

    public static IDistributedApplicationBuilder AddLeadGenStartupSummary(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        var keyLocation = new LocalSecretStore(LocalSecretStore.DirectoryFor(builder), builder.Configuration).Describe(ResourceNames.ManagementApiKey);
        var dashboardUrl = builder.Configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var waiting = new HashSet<string>([ResourceNames.VoiceApi, ResourceNames.Worker, ResourceNames.Console], StringComparer.Ordinal);
        var services = new Dictionary<string, IResourceWithEndpoints>(StringComparer.Ordinal);
        var gate = new object();
        foreach (var resource in builder.Resources.OfType<IResourceWithEndpoints>().Where(resource => waiting.Contains(resource.Name)))
        {
            builder.Eventing.Subscribe<ResourceReadyEvent>(resource, (ready, _) =>
            {
                lock (gate)
                {
                    services[ready.Resource.Name] = (IResourceWithEndpoints)ready.Resource;
                    if (!waiting.Remove(ready.Resource.Name) || waiting.Count > 0)
                    {
                        return Task.CompletedTask;
                    }
                }

                var model = ready.Services.GetRequiredService<DistributedApplicationModel>();
                var dashboard = model.Resources.Any(r => r.Name == DashboardResourceName) ? dashboardUrl ?? "(see the log above)" : "(disabled)";
                ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory).LogInformation(
                    """
                    LeadGen Voice is up:
                      dashboard            {Dashboard}
                      console              {Console}  (operators' web app; management API under /api; OpenAPI /openapi/v1.json; docs /scalar/v1)
                      voice API            {VoiceApi}  (Twilio webhooks and media streams)
                      worker health        {WorkerHealth}
                      management API key   {KeyLocation}  (send it as the X-Api-Key header)
                    """,
                    dashboard,
                    HttpUrl(services[ResourceNames.Console]),
                    HttpUrl(services[ResourceNames.VoiceApi]),
                    HttpUrl(services[ResourceNames.Worker]) + "/health",
                    keyLocation);
                return Task.CompletedTask;
            });
        }

        return builder;
    }

    private static string HttpUrl(IResourceWithEndpoints resource) => resource.GetEndpoint("http").Url.TrimEnd('/');
}
