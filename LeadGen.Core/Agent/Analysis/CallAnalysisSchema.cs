using System.Text.Json;
using Json.Schema;

namespace LeadGen.Core.Agent.Analysis;

/// <summary>
/// The JSON Schema the model's analysis must satisfy: sent to Gemini as the response schema and checked again on the
/// way back (models can still return out-of-range scores or miss fields), so nothing invalid is stored.
/// </summary>
public static class CallAnalysisSchema
{
    public const string Json = """
        {
          "type": "object",
          "properties": {
            "summary": { "type": "string", "minLength": 1, "maxLength": 2000, "description": "Two to four sentences on what happened in the call." },
            "bant": {
              "type": "object",
              "properties": {
                "budget": { "type": "integer", "minimum": 1, "maximum": 4, "description": "1 none/unknown, 2 vague, 3 indicated, 4 confirmed amount" },
                "authority": { "type": "integer", "minimum": 1, "maximum": 4, "description": "1 no influence, 4 the decision maker" },
                "need": { "type": "integer", "minimum": 1, "maximum": 4, "description": "1 no need, 4 urgent explicit need" },
                "timeline": { "type": "integer", "minimum": 1, "maximum": 4, "description": "1 none, 2 over 6 months, 3 within 6 months, 4 within 3 months" }
              },
              "required": ["budget", "authority", "need", "timeline"]
            },
            "overallScore": { "type": "integer", "minimum": 0, "maximum": 100 },
            "qualified": { "type": "boolean" },
            "nextStep": { "type": "string", "minLength": 1, "maxLength": 500 }
          },
          "required": ["summary", "bant", "overallScore", "qualified", "nextStep"]
        }
        """;

    private static readonly JsonSchema Schema = JsonSchema.FromText(Json);

    public static JsonElement Element { get; } = JsonDocument.Parse(Json).RootElement.Clone();

    /// <summary>Parses and validates; throws <see cref="InvalidCallAnalysisException"/> naming what is wrong.</summary>
    public static CallAnalysis Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidCallAnalysisException($"The analysis is not JSON: {ex.Message}");
        }

        using (document)
        {
            var result = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!result.IsValid)
            {
                var problems = (result.Details ?? [])
                    .Where(detail => detail.Errors is { Count: > 0 })
                    .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"))
                    .Distinct()
                    .ToList();
                throw new InvalidCallAnalysisException("The analysis does not match the schema: " + string.Join("; ", problems));
            }

            return document.RootElement.Deserialize<CallAnalysis>()
                ?? throw new InvalidCallAnalysisException("The analysis is empty.");
        }
    }
}

public sealed class InvalidCallAnalysisException : Exception
{
    public InvalidCallAnalysisException()
    {
    }

    public InvalidCallAnalysisException(string message)
        : base(message)
    {
    }

    public InvalidCallAnalysisException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
