using System.Net.WebSockets;
using LeadGen.Core.Calls.Realtime;
using LeadGen.Core.Gemini.RateLimiting;
using LeadGen.Core.Gemini.Vertex;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Gemini.Live;

/// <summary>
/// <see cref="IRealtimeVoiceClient"/> over the Gemini Live API on Vertex AI. Credentials come from the same
/// authenticators as the REST client (ADC bearer token in vertex mode, <c>x-goog-api-key</c> in apikey mode), copied
/// onto the WebSocket handshake. Each call first takes a slot from the shared Redis rate limiter (the Live model's own
/// budget, waiting at most <see cref="GeminiLiveOptions.AdmissionWait"/>); without one it throws
/// <see cref="RealtimeCapacityException"/>, and the tokens a call uses are recorded against the budget as the model
/// reports them. Offline mode has no live voice: <see cref="IsConfigured"/> is false.
/// </summary>
public sealed class GeminiLiveClient : IRealtimeVoiceClient
{
    private readonly GeminiOptions _options;
    private readonly GeminiMode _mode;
    private readonly IVertexAuthenticator? _authenticator;
    private readonly IGeminiRateLimiter? _limiter;
    private readonly LiveTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<GeminiLiveClient> _logger;

    public GeminiLiveClient(
        IOptions<GeminiOptions> options,
        LiveTelemetry telemetry,
        TimeProvider time,
        ILogger<GeminiLiveClient> logger,
        IGeminiRateLimiter? limiter = null)
    {
        _options = options.Value;
        _mode = _options.ResolveMode();
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _limiter = limiter;
        _authenticator = _mode switch
        {
            GeminiMode.ApiKey => new ApiKeyAuthenticator(_options.ApiKey ?? string.Empty),
            GeminiMode.Vertex => new GoogleCredentialAuthenticator(),
            _ => null,
        };
    }

    public bool IsConfigured => _authenticator is not null;

    public async Task<IRealtimeVoiceSession> ConnectAsync(RealtimeSessionRequest request, CancellationToken cancellationToken)
    {
        if (_authenticator is null)
        {
            throw new InvalidOperationException("Gemini is offline: no live voice model is configured.");
        }

        await AdmitAsync(cancellationToken);
        var uri = GeminiLiveEndpoint.WebSocketUri(_options, _mode);
        var model = GeminiLiveEndpoint.ModelResource(_options, _mode);
        var usage = new LiveUsageRecorder(_options.LiveModel, _telemetry, _limiter, _logger);
        return await GeminiLiveSession.StartAsync(ct => OpenSocketAsync(uri, ct), model, request, _options.Live, usage, _time, _logger, cancellationToken);
    }

    private async Task AdmitAsync(CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return;
        }

        try
        {
            var lease = await _limiter.AcquireAsync(_options.LiveModel, _options.Live.AdmissionTokens, cancellationToken, _options.Live.AdmissionWait);
            // The estimate stands for the call's first minute; real usage is recorded turn by turn (LiveUsageRecorder).
            await lease.CompleteAsync(null, cancellationToken);
        }
        catch (GeminiRateLimitExceededException exception)
        {
            throw new RealtimeCapacityException(exception.Message, exception.RetryAfter, exception);
        }
    }

    private async Task<ClientWebSocket> OpenSocketAsync(Uri uri, CancellationToken cancellationToken)
    {
        // Reuse the REST authenticators: they decorate an HttpRequestMessage; copy what they add onto the handshake.
        using var probe = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(uri) { Scheme = uri.Scheme == "ws" ? "http" : "https" }.Uri);
        await _authenticator!.AuthenticateAsync(probe, cancellationToken);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        foreach (var header in probe.Headers)
        {
            socket.Options.SetRequestHeader(header.Key, string.Join(",", header.Value));
        }

        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
