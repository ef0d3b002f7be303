using Aspire.Hosting.ApplicationModel;

namespace LeadGen.AppHost;

/// <summary>
/// Run mode is plain HTTP end to end (the http launch profile; the services listen on http only), so no resource asks
/// Aspire for an HTTPS server certificate. Aspire gives projects (and Redis containers) one by default, and as long as
/// any resource wants one it warns on the dashboard — a red "No trusted development certificate" banner on every fresh
/// machine — though nothing here would use the certificate. Publish mode is untouched.
/// </summary>
internal static class LocalHttpTransport
{
#pragma warning disable ASPIRECERTIFICATES001 // WithoutHttpsCertificate is marked for evaluation; it is the documented opt-out
    public static IDistributedApplicationBuilder UseLocalHttpOnly(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.CreateResourceBuilder(project).WithoutHttpsCertificate();
        }

        foreach (var container in builder.Resources.OfType<ContainerResource>().ToList())
        {
            builder.CreateResourceBuilder(container).WithoutHttpsCertificate();
        }

        foreach (var executable in builder.Resources.OfType<ExecutableResource>().ToList())
        {
            builder.CreateResourceBuilder(executable).WithoutHttpsCertificate();
        }

        return builder;
    }
#pragma warning restore ASPIRECERTIFICATES001
}
