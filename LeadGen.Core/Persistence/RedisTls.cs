using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace LeadGen.Core.Persistence;

/// <summary>
/// TLS to Redis that trusts exactly the configured certificate authority, e.g. Memorystore's server CA with in-transit
/// encryption (Terraform's <c>google_redis_instance.server_ca_certs</c>, handed to the services as
/// <c>Redis__CaCertificate</c>). <c>Redis:CaCertificate</c> holds PEM text (one or more certificates: during a CA rotation
/// Memorystore lists the old and the new one); <c>Redis:CaCertificatePath</c> names a PEM file instead. When either is
/// set, the connection uses TLS and a server certificate is accepted only if it chains to one of those certificates
/// (the machine's trust store is not consulted) and, unless <c>Redis:CheckHostName</c> is false, names the host.
/// </summary>
public static class RedisTls
{
    public const string CaCertificateSetting = "Redis:CaCertificate";
    public const string CaCertificatePathSetting = "Redis:CaCertificatePath";
    public const string CheckHostNameSetting = "Redis:CheckHostName";

    /// <summary>Applies the settings above to <paramref name="options"/>; does nothing when no CA is configured.</summary>
    public static void Configure(ConfigurationOptions options, IConfiguration configuration)
    {
        var authorities = LoadAuthorities(configuration);
        if (authorities is null)
        {
            return;
        }

        var checkHostName = !bool.TryParse(configuration[CheckHostNameSetting], out var check) || check;
        options.Ssl = true;
        options.CertificateValidation += (_, certificate, _, errors) => IsTrusted(certificate, errors, authorities, checkHostName);
    }

    /// <summary>
    /// True when <paramref name="certificate"/> chains to one of <paramref name="authorities"/> (custom root trust, no
    /// revocation check: private CAs publish none) and, if asked, the TLS layer found no host name mismatch.
    /// </summary>
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities, bool checkHostName)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        if (checkHostName && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>The configured CA certificates, or null when none is configured; a setting that holds no certificate is an error.</summary>
    public static X509Certificate2Collection? LoadAuthorities(IConfiguration configuration)
    {
        var pem = configuration[CaCertificateSetting];
        var source = CaCertificateSetting;
        if (string.IsNullOrWhiteSpace(pem) && configuration[CaCertificatePathSetting] is { Length: > 0 } path)
        {
            pem = File.ReadAllText(path);
            source = $"{CaCertificatePathSetting} ({path})";
        }

        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException($"{source} is not valid PEM: {exception.Message}", exception);
        }

        return authorities.Count > 0
            ? authorities
            : throw new InvalidOperationException($"{source} is set but contains no PEM certificate (-----BEGIN CERTIFICATE-----).");
    }
}
