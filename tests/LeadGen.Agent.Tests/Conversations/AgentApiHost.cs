extern alias worker;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Agent;
using LeadGen.Core.Gemini.Vertex;
using LeadGen.Testing;
using worker::LeadGen.Worker;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LeadGen.Agent.Tests.Conversations;

/// <summary>
/// The real management API (the console host) on Kestrel (127.0.0.1, free port) over a fresh migrated database and the
/// shared Redis, with the given Gemini settings (offline by default; or pointed at the fake Vertex server), and a host
/// wired like the Worker over the same database and settings: it runs the analyze-call job an ended conversation enqueues.
/// </summary>
public sealed class AgentApiHost : IAsyncDisposable
{
    public const string ApiKey = "agent-tests-management-key";

    private readonly KestrelApp<Program> _app;
    private readonly IHost _worker;

    private AgentApiHost(KestrelApp<Program> app, IHost worker)
    {
        _app = app;
        _worker = worker;
        Client = app.CreateClient(ApiKey);
    }

    public HttpClient Client { get; }

    public string ConnectionString => _app.ConnectionString;

    public IServiceProvider Services => _app.Services;

    public static async Task<AgentApiHost> StartAsync(SharedServers servers, IReadOnlyDictionary<string, string?> gemini, IVertexAuthenticator? authenticator = null)
    {
        var settings = gemini.ToDictionary(setting => "Gemini:" + setting.Key, setting => setting.Value);
        settings["ManagementApi:ApiKey"] = ApiKey;
        var app = await KestrelApp.StartAsync<Program>(servers, "agent", settings, web =>
        {
            if (authenticator is not null)
            {
                web.ConfigureTestServices(services => services.AddSingleton(authenticator));
            }
        });
        return new AgentApiHost(app, await StartWorkerAsync(app.ConnectionString, servers.Redis.ConnectionString, settings, authenticator));
    }

    /// <summary>The conversation as GET returns it once its analysis is stored (the Worker's analyze-call job ran).</summary>
    public async Task<JsonObject> WaitForAnalysisAsync(Guid conversationId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var view = JsonNode.Parse(await Client.GetStringAsync($"/api/conversations/{conversationId}"))!.AsObject();
            if (view["analysis"] is JsonObject)
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Conversation {conversationId} was not analysed within 60 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the Worker has committed the job (its idempotency marker is in processed_jobs).</summary>
    public async Task WaitForProcessedJobAsync(Guid jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await ScalarAsync<long>("SELECT count(*) FROM processed_jobs WHERE job_id = @id", ("id", jobId)) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Job {jobId} was not processed within 60 s.");
            await Task.Delay(100);
        }
    }

    private static async Task<IHost> StartWorkerAsync(string database, string redis, Dictionary<string, string?> settings, IVertexAuthenticator? authenticator)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:leadgendb"] = database,
            ["ConnectionStrings:cache"] = redis,
            ["Queue:ConsumerPollInterval"] = "00:00:00.100",
            ["Queue:RelayPollInterval"] = "00:00:00.100",
        });
        builder.AddLeadGenWorkerFeatures(); // exactly what the Worker runs
        if (authenticator is not null)
        {
            builder.Services.AddSingleton(authenticator);
        }

        var worker = builder.Build();
        await worker.StartAsync();
        return worker;
    }

    public async Task<(Guid CampaignId, Guid LeadId)> CreateCampaignAndLeadAsync(string phone = "+14155550123")
    {
        var campaign = await PostAsync("/api/campaigns", new
        {
            name = "Acme inbound automation",
            settings = new
            {
                personaName = "Ava",
                companyName = "Acme Voice",
                productName = "LeadDesk",
                productFacts = "Plans start at $499 per month.\nIntegrates with Salesforce and HubSpot.",
                consentRequired = false,
                qualificationQuestions = new[]
                {
                    new { key = "need", question = "Are you looking for a better way to handle inbound leads?" },
                    new { key = "budget", question = "What budget have you set aside for this?" },
                    new { key = "authority", question = "Are you the person who makes the final decision?" },
                    new { key = "timeline", question = "When would you like to have a solution in place?" },
                    new { key = "email", question = "What is the best email to send details to?" },
                },
            },
        });
        var campaignId = campaign["id"]!.GetValue<Guid>();
        var lead = await PostAsync($"/api/campaigns/{campaignId}/leads", new { name = "Jane Doe", phone, company = "Globex" });
        return (campaignId, lead["id"]!.GetValue<Guid>());
    }

    public async Task<JsonObject> PostAsync(string url, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == expected, $"{url}: {(int)response.StatusCode} {text}");
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal(expected, response.StatusCode);
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await _worker.StopAsync();
        }
        finally
        {
            _worker.Dispose();
            await _app.DisposeAsync();
        }
    }
}
