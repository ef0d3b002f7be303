using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LeadGen.AppHost.Tests;

public sealed class LocalStackTests : IDisposable
{
    private readonly string _localData = Path.Combine(Path.GetTempPath(), "leadgen-tests", "apphost-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Whole_app_starts_in_processes_mode_migrates_and_reports_postgres_and_redis_healthy()
    {
        using var timeout = new CancellationTokenSource(LocalStack.StartupTimeout);
        await using var app = await LocalStack.StartAsync(_localData, timeout.Token);

        Assert.Equal(0, await app.WaitForExitCodeAsync("migrations", timeout.Token));
        await app.ResourceNotifications.WaitForResourceHealthyAsync("voiceapi", timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("console", timeout.Token);

        foreach (var service in new[] { "voiceapi", "worker", "console" })
        {
            using var http = app.CreateHttpClient(service);
            using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
            var checks = report.RootElement.GetProperty("checks");
            Assert.Equal("Healthy", checks.GetProperty("PostgreSql").GetProperty("status").GetString());
            Assert.Equal("Healthy", checks.GetProperty("StackExchange.Redis").GetProperty("status").GetString());

            using var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative), timeout.Token);
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        // Run mode without Parameters:public-base-url: Twilio callbacks point at the voice API's own endpoint.
        var voiceApiUrl = app.GetEndpoint("voiceapi", "http").ToString().TrimEnd('/');
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var service in new[] { "voiceapi", "worker" })
        {
            var resource = (IResourceWithEnvironment)model.Resources.Single(resource => resource.Name == service);
#pragma warning disable CS0618 // the replacement (ExecutionConfigurationBuilder) needs the whole execution context; this test only reads values
            var environment = await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
            Assert.Equal(voiceApiUrl, environment["PublicBaseUrl"].TrimEnd('/'));
            // No Twilio credentials: both dial the simulator, which signs webhooks with a local key they share.
            Assert.Equal("simulator", environment["Telephony__Provider"]);
            Assert.False(string.IsNullOrEmpty(environment["Twilio__AuthToken"]));
        }
    }

    [Fact]
    public async Task Data_written_in_one_run_is_still_there_after_the_app_restarts()
    {
        using var timeout = new CancellationTokenSource(LocalStack.StartupTimeout * 2);
        var campaignId = Guid.NewGuid();

        await using (var first = await LocalStack.StartAsync(_localData, timeout.Token))
        {
            Assert.Equal(0, await first.WaitForExitCodeAsync("migrations", timeout.Token));
            await using var connection = new NpgsqlConnection(await first.GetConnectionStringAsync("leadgendb", timeout.Token));
            await connection.OpenAsync(timeout.Token);
            await using var insert = new NpgsqlCommand("INSERT INTO campaigns (id, name) VALUES (@id, 'Survives restarts')", connection);
            insert.Parameters.AddWithValue("id", campaignId);
            await insert.ExecuteNonQueryAsync(timeout.Token);
        }

        await using var second = await LocalStack.StartAsync(_localData, timeout.Token);
        Assert.Equal(0, await second.WaitForExitCodeAsync("migrations", timeout.Token));
        await using var reconnect = new NpgsqlConnection(await second.GetConnectionStringAsync("leadgendb", timeout.Token));
        await reconnect.OpenAsync(timeout.Token);
        await using var select = new NpgsqlCommand("SELECT name FROM campaigns WHERE id = @id", reconnect);
        select.Parameters.AddWithValue("id", campaignId);
        Assert.Equal("Survives restarts", await select.ExecuteScalarAsync(timeout.Token));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_localData, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
