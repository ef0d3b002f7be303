using LeadGen.Testing.Logging;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using LeadGen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadGen.VoiceApi.Tests;

/// <summary>
/// Leads' phone numbers, e-mails and names never reach the console's logs at Information or above: an import (with
/// rows the importer rejects), searches by phone and name, a patch, the do-not-call list and an erasure run with the
/// console's shipped log levels while a provider captures every record of every category.
/// </summary>
public sealed class PersonalDataLogTests : IAsyncLifetime
{
    private const string Key = "pii-tests-key-4c4c";
    private static readonly string[] Names = ["Ottoline Farquharsen", "Benedikt Quellmalz", "Ysolde Marchetti"];
    private static readonly string[] Phones = ["+12125550171", "+12125550172", "+12125550173"];
    private static readonly string[] Emails = ["ottoline.f@example.com", "b.quellmalz@example.org", "ysolde@marchetti.example"];
    private readonly SharedServers _servers = new();
    private readonly CapturedLogs _logs = new();
    private KestrelApp<Program>? _app;

    public async ValueTask InitializeAsync()
    {
        await _servers.InitializeAsync();
        _app = await KestrelApp.StartAsync<Program>(_servers, "pii", new Dictionary<string, string?>
        {
            ["ManagementApi:ApiKey"] = Key,
            ["Leads:DefaultRegion"] = "US",
        }, web => web.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(_logs)));
    }

    [Fact]
    public async Task An_import_and_the_lead_endpoints_log_no_phone_number_email_or_name()
    {
        using var api = _app!.CreateClient(Key);
        var campaign = await api.CreateCampaignAsync("Privacy import");
        var csv = "name,phone,email\n"
            + $"{Names[0]},{Phones[0]},{Emails[0]}\n"
            + $"{Names[1]},{Phones[1][2..]},{Emails[1]}\n"
            + $"{Names[2]},{Phones[2]},not-an-email-{Emails[2]}\n" // rejected: the row error must not reach the logs either
            + $"{Names[2]},not-a-phone,{Emails[2]}\n";
        using var import = await api.ImportAsync(campaign.Id(), csv);
        var body = await import.ReadJsonAsync();
        Assert.True(import.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.True(body["import"]!["rowsImported"]!.GetValue<int>() >= 2, body.ToJsonString());

        using var byPhone = await api.GetAsync(new Uri($"/api/leads?phone={Uri.EscapeDataString(Phones[0])}", UriKind.Relative));
        var lead = (await byPhone.ReadJsonAsync())["items"]![0]!;
        using var byName = await api.GetAsync(new Uri($"/api/leads?q={Uri.EscapeDataString(Names[1])}", UriKind.Relative));
        using var patch = await api.PatchAsJsonAsync(new Uri($"/api/leads/{lead.Id()}", UriKind.Relative), new { email = "new." + Emails[0] });
        using var badPatch = await api.PatchAsJsonAsync(new Uri($"/api/leads/{lead.Id()}", UriKind.Relative), new { phone = "555" + Phones[0] });
        using var dnc = await api.PostAsJsonAsync(new Uri("/api/do-not-call", UriKind.Relative), new { phone = Phones[1], reason = $"{Names[1]} asked" });
        using var check = await api.GetAsync(new Uri($"/api/do-not-call/check?phone={Uri.EscapeDataString(Phones[1])}", UriKind.Relative));
        using var undnc = await api.DeleteAsync(new Uri($"/api/do-not-call/{Uri.EscapeDataString(Phones[1])}", UriKind.Relative));
        using var erase = await api.DeleteAsync(new Uri($"/api/leads/{lead.Id()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPatch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dnc.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, undnc.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);

        var records = _logs.Records.Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.True(records.Count >= 3, $"only {records.Count} records captured");
        var secrets = Names.Concat(Names.Select(n => n.Split(' ')[1])).Concat(Phones).Concat(Phones.Select(p => p[2..])).Concat(Emails);
        Assert.All(secrets, secret => Assert.DoesNotContain(records, record => record.Text.Contains(secret, StringComparison.OrdinalIgnoreCase)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _servers.DisposeAsync();
    }
}
