using System.Text.Json;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>Turns a failed Vertex AI response into a <see cref="GeminiRequestException"/> carrying Google's own message.</summary>
internal static class VertexErrorReader
{
    private const int MaxBodyChars = 4000;

    public static async Task<GeminiRequestException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? googleStatus = null;
        string? googleMessage = null;
        try
        {
            // Google sends {"error": {...}}; a few gateways wrap it in a one-element array.
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.GetArrayLength() > 0
                ? document.RootElement[0]
                : document.RootElement;
            var envelope = root.Deserialize<VertexErrorEnvelope>(VertexJson.Options);
            googleStatus = envelope?.Error?.Status;
            googleMessage = envelope?.Error?.Message;
        }
        catch (JsonException)
        {
            // Not Google's JSON (e.g. an HTML page from a proxy): report the start of the body instead.
        }

        var detail = googleMessage ?? (body.Length > MaxBodyChars ? body[..MaxBodyChars] : body);
        var message = $"Vertex AI returned {(int)response.StatusCode} {googleStatus ?? response.ReasonPhrase}: {detail}";
        return new GeminiRequestException(message, response.StatusCode, googleStatus);
    }
}
