using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;

namespace LeadGen.Core.Queue;

/// <summary>
/// One job as it travels outbox → stream → consumer (→ retry set → stream, or → dead-letter stream).
/// </summary>
/// <param name="Id">Job id: the idempotency key of its handler.</param>
/// <param name="Type">Job type (<see cref="JobTypes"/>).</param>
/// <param name="Payload">JSON payload, read by the handler.</param>
/// <param name="TraceParent">W3C <c>traceparent</c> of the span that enqueued the job.</param>
/// <param name="TraceState">W3C <c>tracestate</c>, when the enqueuing span had one.</param>
/// <param name="EnqueuedAt">When the job was written to the outbox.</param>
/// <param name="FailedAttempts">Attempts that failed before this delivery (the handler threw).</param>
public sealed record JobEnvelope(
    Guid Id,
    string Type,
    string Payload,
    string? TraceParent,
    string? TraceState,
    DateTimeOffset EnqueuedAt,
    int FailedAttempts)
{
    private const string IdField = "id";
    private const string TypeField = "type";
    private const string PayloadField = "payload";
    private const string TraceParentField = "traceparent";
    private const string TraceStateField = "tracestate";
    private const string EnqueuedAtField = "enqueued_at";
    private const string FailedAttemptsField = "failed_attempts";

    internal NameValueEntry[] ToStreamFields()
    {
        var fields = new List<NameValueEntry>(7)
        {
            new(IdField, Id.ToString("D")),
            new(TypeField, Type),
            new(PayloadField, Payload),
            new(EnqueuedAtField, EnqueuedAt.ToUnixTimeMilliseconds()),
            new(FailedAttemptsField, FailedAttempts),
        };
        if (TraceParent is not null)
        {
            fields.Add(new(TraceParentField, TraceParent));
        }

        if (TraceState is not null)
        {
            fields.Add(new(TraceStateField, TraceState));
        }

        return [.. fields];
    }

    /// <summary>The stream fields as a flat JSON array (<c>["id","…","type","…",…]</c>): the retry set's member,
    /// which the retry-mover script passes straight back to XADD.</summary>
    internal string ToFlatJson()
    {
        var flat = new List<string>();
        foreach (var field in ToStreamFields())
        {
            flat.Add(field.Name!);
            flat.Add(field.Value!);
        }

        return JsonSerializer.Serialize(flat);
    }

    /// <summary>Reads an envelope from stream fields; <see cref="FormatException"/> names what is wrong.</summary>
    internal static JobEnvelope FromStreamFields(NameValueEntry[] values)
    {
        string? Get(string name)
        {
            foreach (var value in values)
            {
                if (value.Name == name)
                {
                    return value.Value;
                }
            }

            return null;
        }

        string Require(string name) => Get(name) ?? throw new FormatException($"The job entry has no '{name}' field.");

        if (!Guid.TryParse(Require(IdField), out var id))
        {
            throw new FormatException("The job entry's 'id' is not a UUID.");
        }

        if (!long.TryParse(Require(EnqueuedAtField), NumberStyles.Integer, CultureInfo.InvariantCulture, out var enqueuedAtMs))
        {
            throw new FormatException("The job entry's 'enqueued_at' is not Unix milliseconds.");
        }

        var failedAttempts = int.TryParse(Get(FailedAttemptsField), NumberStyles.Integer, CultureInfo.InvariantCulture, out var failed) ? failed : 0;
        return new JobEnvelope(
            id,
            Require(TypeField),
            Require(PayloadField),
            Get(TraceParentField),
            Get(TraceStateField),
            DateTimeOffset.FromUnixTimeMilliseconds(enqueuedAtMs),
            failedAttempts);
    }
}
