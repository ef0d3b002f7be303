namespace LeadGen.Core.Gemini;

/// <summary>The <c>Gemini</c> configuration section (DESIGN.md names: Mode, Project, Location, Model, LiveModel, ApiKey).</summary>
public sealed class GeminiOptions
{
    public const string SectionName = "Gemini";

    /// <summary>
    /// vertex | apikey | offline. Unset: apikey when <see cref="ApiKey"/> is set, vertex when <see cref="Project"/> is
    /// set, otherwise offline — so a machine with no Google configuration runs the deterministic offline engine.
    /// </summary>
    public string? Mode { get; set; }

    public string? Project { get; set; }

    /// <summary>
    /// A region such as <c>europe-west4</c>, a multi-region (<c>us</c>, <c>eu</c>: host
    /// <c>aiplatform.{location}.rep.googleapis.com</c>), or <c>global</c> for the global endpoint.
    /// </summary>
    public string Location { get; set; } = "us-central1";

    /// <summary>
    /// The text model (agent conversations, post-call analysis). Default: the latest stable Flash model on Vertex AI's
    /// model lifecycle page when this was last checked (2026-12); the 2.5 models are retired. Checked at startup.
    /// </summary>
    public string Model { get; set; } = "gemini-3.5-flash";

    /// <summary>
    /// The Live (native audio) model for phone calls. Default: the latest stable Live model on Vertex AI's lifecycle
    /// page when last checked (2026-12), whose announced retirement is 2026-12-13 — see the README. Checked at startup.
    /// </summary>
    public string LiveModel { get; set; } = "gemini-live-2.5-flash-native-audio";

    public GeminiLiveOptions Live { get; set; } = new();

    /// <summary>Vertex AI express-mode API key (secret parameter <c>gemini-api-key</c>). Sent as a header, never in a URL.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Overrides the Google endpoint (tests, private service connect). Must be an absolute http(s) URL.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Thinking token budget sent with every request: 0 (default) turns thinking off for latency, -1 lets the model
    /// decide; an empty value omits the thinking configuration (models that reject a budget).
    /// </summary>
    public int? ThinkingBudget { get; set; } = 0;

    /// <summary>Bound on one HTTP attempt (until the response headers; for streams, also between two events).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per request, including the first, for 429/500/503/504 and transport failures.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First retry delay; doubles each attempt (with jitter) unless the server sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest single wait between attempts, including a server's Retry-After.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    public GeminiRateLimitOptions RateLimit { get; set; } = new();

    public GeminiMode ResolveMode()
    {
        if (string.IsNullOrWhiteSpace(Mode))
        {
            return !string.IsNullOrWhiteSpace(ApiKey) ? GeminiMode.ApiKey
                : !string.IsNullOrWhiteSpace(Project) ? GeminiMode.Vertex
                : GeminiMode.Offline;
        }

        return Mode.Trim().ToLowerInvariant() switch
        {
            "vertex" => GeminiMode.Vertex,
            "apikey" => GeminiMode.ApiKey,
            "offline" => GeminiMode.Offline,
            _ => throw new InvalidOperationException($"Gemini:Mode '{Mode}' is not one of vertex, apikey, offline."),
        };
    }
}

/// <summary>Live API session settings (<c>Gemini:Live</c>).</summary>
public sealed class GeminiLiveOptions
{
    /// <summary>
    /// Ask for transparent session resumption (Vertex AI): the server reports which client messages it consumed, and
    /// a reconnect replays the caller audio it had not. Turn off for a server that rejects the field.
    /// </summary>
    public bool TransparentResumption { get; set; } = true;

    /// <summary>Context size that triggers the sliding-window compression; empty for the server's default (80% of the limit).</summary>
    public int? CompressionTriggerTokens { get; set; }

    /// <summary>What the sliding window keeps; empty for the server's default.</summary>
    public int? CompressionTargetTokens { get; set; }

    /// <summary>
    /// Tokens a call is assumed to use in its first minute when it asks the shared rate limiter for a slot (native
    /// audio is about 25 tokens a second each way, plus the prompt); actual usage is recorded as the model reports it.
    /// </summary>
    public int AdmissionTokens { get; set; } = 4_000;

    /// <summary>How long a ringing call may wait for rate-limit capacity before the caller hears the busy line.</summary>
    public TimeSpan AdmissionWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Caller audio kept for replay after a reconnect (transparent resumption), in 20 ms messages.</summary>
    public int ReplayBufferMessages { get; set; } = 500;
}

/// <summary>Shared (Redis) limits per model; 0 disables that limit.</summary>
public sealed class GeminiRateLimitOptions
{
    public int RequestsPerMinute { get; set; } = 300;

    public int TokensPerMinute { get; set; } = 1_000_000;

    /// <summary>How long a caller may wait for capacity before <see cref="GeminiRateLimitExceededException"/>.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The sliding window the per-minute limits apply to (a minute; shorter only in tests).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
