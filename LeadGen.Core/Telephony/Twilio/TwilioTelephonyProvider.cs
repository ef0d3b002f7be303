using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// Twilio's REST Calls API over the <see cref="TwilioRestClient"/> HttpClient: create a call (voice URL, status callback
/// with every event, async answering-machine detection reporting to our AMD webhook), hang up, redirect a live call to
/// new TwiML, and fetch a call's status (the Call resource). Only fetching and hanging up are marked retry-safe.
/// </summary>
public sealed class TwilioTelephonyProvider(IHttpClientFactory httpClients, IOptions<TwilioOptions> twilio, IOptions<TelephonyOptions> telephony) : ITelephonyProvider
{
    private static readonly string[] StatusEvents = ["initiated", "ringing", "answered", "completed"];

    public string Name => TelephonyProviderNames.Twilio;

    public async Task<PlaceCallResult> PlaceCallAsync(PlaceCallRequest request, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("To", request.To),
            new("From", request.From),
            new("Url", request.VoiceUrl.ToString()),
            new("Method", "POST"),
            new("StatusCallback", request.StatusCallbackUrl.ToString()),
            new("StatusCallbackMethod", "POST"),
        };
        form.AddRange(StatusEvents.Select(e => new KeyValuePair<string, string>("StatusCallbackEvent", e)));
        if (request.DetectAnsweringMachine)
        {
            form.Add(new("MachineDetection", "DetectMessageEnd"));
            form.Add(new("AsyncAmd", "true"));
            form.Add(new("AsyncAmdStatusCallback", TwilioWebhooks.Url(telephony.Value, TwilioWebhooks.AmdPath, request.CallId).ToString()));
            form.Add(new("AsyncAmdStatusCallbackMethod", "POST"));
        }

        using var document = await SendAsync("Calls.json", form, retrySafe: false, cancellationToken);
        var root = document.RootElement;
        return new PlaceCallResult(root.GetProperty("sid").GetString()!, root.TryGetProperty("status", out var status) ? status.GetString() ?? "queued" : "queued");
    }

    public async Task HangUpAsync(string providerCallId, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync($"Calls/{Uri.EscapeDataString(providerCallId)}.json", [new("Status", "completed")], retrySafe: true, cancellationToken);
    }

    public async Task RedirectAsync(string providerCallId, string twiml, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync($"Calls/{Uri.EscapeDataString(providerCallId)}.json", [new("Twiml", twiml)], retrySafe: false, cancellationToken);
    }

    /// <summary><c>GET Calls/{Sid}.json</c>: the call's status (and duration once finished); null on 404 (unknown call).</summary>
    public async Task<ProviderCallStatus?> GetCallStatusAsync(string providerCallId, CancellationToken cancellationToken)
    {
        using var document = await SendAsync($"Calls/{Uri.EscapeDataString(providerCallId)}.json", null, notFoundIsNull: true, retrySafe: true, cancellationToken);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var status = TwilioCallStatus.ToCallStatus(root.TryGetProperty("status", out var value) ? value.GetString() : null)
            ?? throw new InvalidOperationException($"Twilio answered an unknown status for call {providerCallId}.");
        // Twilio's JSON gives duration as a string of seconds (null until the call ends); a number is accepted too.
        int? duration = root.TryGetProperty("duration", out var seconds) ? seconds.ValueKind switch
        {
            JsonValueKind.String when int.TryParse(seconds.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Number when seconds.TryGetInt32(out var number) => number,
            _ => null,
        } : null;
        return new ProviderCallStatus(status, duration);
    }

    private async Task<JsonDocument> SendAsync(string resource, IEnumerable<KeyValuePair<string, string>> form, bool retrySafe, CancellationToken cancellationToken) =>
        (await SendAsync(resource, form, notFoundIsNull: false, retrySafe, cancellationToken))!;

    /// <param name="form">Null: a GET of the resource; otherwise a POST of the form.</param>
    /// <param name="retrySafe">Whether sending it twice has the same effect as once (see <see cref="TwilioRestClient"/>).</param>
    private async Task<JsonDocument?> SendAsync(
        string resource, IEnumerable<KeyValuePair<string, string>>? form, bool notFoundIsNull, bool retrySafe, CancellationToken cancellationToken)
    {
        var options = twilio.Value;
        if (string.IsNullOrEmpty(options.AccountSid) || options.RestCredentials() is not { } credentials)
        {
            throw new InvalidOperationException(
                "Twilio:AccountSid and an API key (Twilio:ApiKeySid + Twilio:ApiKeySecret; or, without one, Twilio:AuthToken) must be configured to place calls.");
        }

        var uri = new Uri(options.ApiBaseUrl, $"2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid)}/{resource}");
        using var request = form is null
            ? new HttpRequestMessage(HttpMethod.Get, uri)
            : new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}")));
        request.Options.Set(TwilioRestClient.RetrySafe, retrySafe);
        using var response = await httpClients.CreateClient(TwilioRestClient.Name).SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (notFoundIsNull && response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            // Only Twilio's error code and its documentation link: the message often repeats the dialled number, and this
            // exception ends up in logs and on the call row.
            throw new HttpRequestException($"Twilio {resource} failed with {(int)response.StatusCode}: {ErrorCode(body)}", null, response.StatusCode);
        }

        return JsonDocument.Parse(body);
    }

    private static string ErrorCode(string body)
    {
        try
        {
            using var error = JsonDocument.Parse(body);
            var root = error.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code)
                ? $"error {code} ({(root.TryGetProperty("more_info", out var info) ? info.ToString() : "no link")})"
                : "no error code";
        }
        catch (JsonException)
        {
            return "no error code (the body is not JSON)";
        }
    }
}
