using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace LeadGen.Simulator;

/// <summary>
/// Twilio's webhook side of one simulated call, shared by the Media Streams and the ConversationRelay simulations:
/// the signed voice webhook and the TwiML it answers, the time limit, answering-machine and status callbacks.
/// </summary>
internal sealed class TwilioCallLeg(SimulatedCallLegOptions options, HttpClient http)
{
    public int VoiceStatusCode { get; private set; }

    public string? TwiML { get; private set; }

    /// <summary>Posts the voice webhook; returns the TwiML's &lt;Connect&gt; element (null when refused or when the TwiML does not connect).</summary>
    public async Task<XElement?> AnswerAsync(string? signatureOverride, CancellationToken cancellationToken)
    {
        (VoiceStatusCode, TwiML) = await PostSignedForTwiMLAsync(options.VoiceUrl, CallForm("in-progress", null), cancellationToken, signatureOverride);
        return VoiceStatusCode is >= 200 and < 300 ? XDocument.Parse(TwiML).Root?.Element("Connect") : null;
    }

    /// <summary>Runs the connected part of the call until it ends or the time limit hangs up; returns how long the call lasted.</summary>
    public async Task<TimeSpan> TimedAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.MaxDuration);
        try
        {
            await call(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The time limit: the caller hangs up.
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The <c>completed</c> status callback of an answered call, if one is configured; its HTTP status.</summary>
    public async Task<int?> CompletedAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        options.StatusCallbackUrl is { } url && VoiceStatusCode == 200
            ? await PostSignedAsync(url, CallForm("completed", (int)duration.TotalSeconds), cancellationToken)
            : null;

    /// <summary>Posts Twilio's asynchronous answering-machine detection result; its HTTP status (null when no callback is configured).</summary>
    public async Task<int?> AnsweringMachineResultAsync(string answeredBy, int detectionMilliseconds, CancellationToken cancellationToken) =>
        options.AmdCallbackUrl is { } url
            ?
            await PostSignedAsync(url,
            [
                new("AccountSid", options.AccountSid),
                new("AnsweredBy", answeredBy),
                new("CallSid", options.CallSid),
                new("MachineDetectionDuration", detectionMilliseconds.ToString(CultureInfo.InvariantCulture)),
            ], cancellationToken)
            : null;

    public async Task<int> PostSignedAsync(Uri url, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken) =>
        (await PostSignedForTwiMLAsync(url, form, cancellationToken)).Status;

    /// <summary>Posts a signed webhook (Twilio's way); returns the HTTP status and the body (TwiML for voice URLs).</summary>
    public async Task<(int Status, string Body)> PostSignedForTwiMLAsync(Uri url, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken, string? signatureOverride = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signatureOverride ?? TwilioRequestSigner.Sign(options.AuthToken, url.ToString(), form));
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The form Twilio posts about the call (voice webhook, status callback, &lt;Connect action&gt;).</summary>
    public List<KeyValuePair<string, string>> CallForm(string status, int? durationSeconds)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", options.AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("CallSid", options.CallSid),
            new("CallStatus", status),
            new("Direction", options.Direction),
            new("From", options.From),
            new("To", options.To),
        };
        if (durationSeconds is { } seconds)
        {
            form.Add(new("CallDuration", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        return form;
    }

    /// <summary>The &lt;Parameter&gt; children of a &lt;Stream&gt; or &lt;ConversationRelay&gt;.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(XElement element) => element.Elements("Parameter")
        .Where(p => p.Attribute("name") is not null)
        .ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")?.Value ?? string.Empty);
}
