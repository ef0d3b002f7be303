using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LeadGen.Core.Persistence;
using LeadGen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LeadGen.Core.Tests.Redis;

/// <summary>
/// Memorystore-style in-transit encryption against a real redis-server started with <c>tls-port</c> (Redis 7, Debian
/// build with TLS): the services' Redis client, wired by <c>AddLeadGenDataStores</c>, connects only when it is given the
/// server's CA as <c>Redis:CaCertificate</c>.
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "leadgen-tests", "redis-tls-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly int _port = FreePort.Next();
    private TestAuthority _authority = null!;
    private ServerProcess _server = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _authority = TestAuthority.Create("LeadGen test Redis CA");
        var (certificatePem, keyPem) = _authority.IssueServerCertificate("127.0.0.1");
        var certificateFile = Path.Combine(_directory, "server.crt");
        var keyFile = Path.Combine(_directory, "server.key");
        await File.WriteAllTextAsync(certificateFile, certificatePem);
        await File.WriteAllTextAsync(keyFile, keyPem);

        // Plain port off (as Memorystore with TLS): only TLS connections are possible.
        _server = ServerProcess.Start("local-redis.sh",
            [Path.Combine(_directory, "data"), "0", $"tls-port {_port}", $"tls-cert-file {certificateFile}", $"tls-key-file {keyFile}", "tls-auth-clients no"],
            new Dictionary<string, string> { ["LEADGEN_REDIS_PASSWORD"] = _password });
        await WaitForPortAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _authority.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Client_with_the_server_CA_connects_over_TLS()
    {
        using var host = BuildHost(_authority.CertificatePem);
        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();
        var database = redis.GetDatabase();

        await database.StringSetAsync("tls-check", "encrypted");
        Assert.Equal("encrypted", (string?)await database.StringGetAsync("tls-check"));
        Assert.True(redis.IsConnected);
    }

    [Fact]
    public async Task Client_trusting_another_CA_is_refused()
    {
        using var stranger = TestAuthority.Create("Some other CA");
        using var host = BuildHost(stranger.CertificatePem);

        // Same server, password and options as the passing test: only the trusted CA differs.
        Assert.ThrowsAny<RedisConnectionException>(() => host.Services.GetRequiredService<IConnectionMultiplexer>());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Without_the_CA_the_machine_trust_store_does_not_accept_the_server()
    {
        using var host = BuildHost(caPem: null, extraConnectionOptions: ",ssl=true");

        Assert.ThrowsAny<RedisConnectionException>(() => host.Services.GetRequiredService<IConnectionMultiplexer>());
        await Task.CompletedTask;
    }

    [Fact]
    public void Host_name_mismatch_is_refused_unless_host_name_checks_are_off()
    {
        var (certificatePem, _) = _authority.IssueServerCertificate("10.0.0.5");
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var authorities = new X509Certificate2Collection { X509Certificate2.CreateFromPem(_authority.CertificatePem) };

        Assert.True(RedisTls.IsTrusted(certificate, SslPolicyErrors.RemoteCertificateChainErrors, authorities, checkHostName: true));
        Assert.False(RedisTls.IsTrusted(certificate, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch, authorities, checkHostName: true));
        Assert.True(RedisTls.IsTrusted(certificate, SslPolicyErrors.RemoteCertificateNameMismatch, authorities, checkHostName: false));
        Assert.False(RedisTls.IsTrusted(null, SslPolicyErrors.RemoteCertificateNotAvailable, authorities, checkHostName: false));
    }

    [Fact]
    public void A_setting_without_a_certificate_is_a_clear_error()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(RedisTls.CaCertificateSetting, "not a certificate")]).Build();

        var error = Assert.Throws<InvalidOperationException>(() => RedisTls.LoadAuthorities(configuration));
        Assert.Contains(RedisTls.CaCertificateSetting, error.Message, StringComparison.Ordinal);
        Assert.Null(RedisTls.LoadAuthorities(new ConfigurationBuilder().Build()));
    }

    private IHost BuildHost(string? caPem, string extraConnectionOptions = "")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = $"127.0.0.1:{_port},password={_password},abortConnect=true,connectTimeout=3000{extraConnectionOptions}",
            ["ConnectionStrings:leadgendb"] = "Host=127.0.0.1;Database=unused", // never opened here
            [RedisTls.CaCertificateSetting] = caPem,
        });
        builder.AddLeadGenDataStores();
        return builder.Build();
    }

    private async Task WaitForPortAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"redis-server (TLS) exited during startup:\n{_server.Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A throw-away certificate authority (RSA 2048) that issues server certificates for an IP address.</summary>
    private sealed class TestAuthority : IDisposable
    {
        private readonly X509Certificate2 _certificate;

        private TestAuthority(X509Certificate2 certificate) => _certificate = certificate;

        public string CertificatePem => _certificate.ExportCertificatePem();

        public static TestAuthority Create(string name)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            var now = DateTimeOffset.UtcNow;
            return new TestAuthority(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)));
        }

        public (string CertificatePem, string KeyPem) IssueServerCertificate(string ipAddress)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={ipAddress}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Parse(ipAddress));
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var now = DateTimeOffset.UtcNow;
            using var certificate = request.Create(_certificate, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(12));
            return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }

        public void Dispose() => _certificate.Dispose();
    }
}
