namespace LeadGen.Core.Telephony.Twilio;

/// <summary>
/// What a Twilio webhook answers, as plain values: TwiML to reply with, nothing (done), or a problem the host turns
/// into a ProblemDetails with the matching status code.
/// </summary>
public sealed record WebhookOutcome(string? TwiML, WebhookProblem? Problem)
{
    public static WebhookOutcome Done { get; } = new(null, null);

    public static WebhookOutcome Reply(string twiml) => new(twiml, null);

    public static WebhookOutcome Fail(WebhookProblemKind kind, string title, string? detail = null) => new(null, new WebhookProblem(kind, title, detail));
}

public sealed record WebhookProblem(WebhookProblemKind Kind, string Title, string? Detail);

/// <summary>Why a webhook was refused: the host maps each to its HTTP status (400, 404, 502).</summary>
public enum WebhookProblemKind
{
    BadRequest,
    NotFound,
    ProviderError,
}
