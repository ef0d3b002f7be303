using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace LeadGen.AppHost.Tests;

/// <summary>
/// The local stack is plain HTTP end to end (the http launch profile, no certificate to trust), so no resource may ask
/// for HTTPS: Aspire shows a red "No trusted development certificate" banner on the dashboard of a fresh machine as
/// soon as one resource has an https endpoint or a (not disabled) HTTPS certificate configuration.
/// </summary>
public sealed class LocalTransportTests
{
    [Theory]
    [InlineData("processes")]
    [InlineData("containers")]
    public async Task No_local_resource_asks_for_an_https_certificate(string infrastructure)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LeadGen_AppHost>(
            [$"--LocalInfrastructure={infrastructure}", $"--LocalDataPath={Path.Combine(Path.GetTempPath(), "leadgen-tests", "tls-" + Guid.NewGuid().ToString("N")[..8])}"],
            (options, _) => options.DisableDashboard = true,
            timeout.Token);

        var offenders = builder.Resources.Where(UsesTls).Select(resource => resource.Name).ToList();

        Assert.True(offenders.Count == 0, $"resources asking for HTTPS locally: {string.Join(", ", offenders)}");
    }

    /// <summary>The rule Aspire's DCP host applies before it warns about the development certificate.</summary>
#pragma warning disable ASPIRECERTIFICATES001 // the annotations Aspire itself checks; evaluation API, read only here
    private static bool UsesTls(IResource resource)
    {
        if (resource.Annotations.OfType<EndpointAnnotation>().Any(endpoint => endpoint.UriScheme == "https"))
        {
            return true;
        }

        if (!resource.Annotations.OfType<HttpsCertificateConfigurationCallbackAnnotation>().Any())
        {
            return false;
        }

        return !(resource.TryGetLastAnnotation<HttpsCertificateAnnotation>(out var certificate)
            && certificate.UseDeveloperCertificate is false or null
            && certificate.Certificate is null);
    }
#pragma warning restore ASPIRECERTIFICATES001
}
