namespace LeadGen.Console.Apis;

/// <summary>
/// The one shape of every 400 the API answers: a validation ProblemDetails (RFC 9110 type, title, status, detail) whose
/// <c>errors</c> name each bad field — for failed validation, wrong JSON types, malformed JSON, bad query values and
/// unreadable uploads alike. "body" stands for the request body as a whole.
/// </summary>
internal static class BadRequests
{
    public const string BodyField = "body";

    public static IResult Result(IDictionary<string, string[]> errors, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.ValidationProblem(errors, detail: detail, extensions: extensions);

    public static IResult Body(string message, IDictionary<string, object?>? extensions = null) =>
        Result(new Dictionary<string, string[]> { [BodyField] = [message] }, message, extensions);
}
