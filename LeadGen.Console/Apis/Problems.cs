namespace LeadGen.Console.Apis;

/// <summary>The API's non-validation errors, always as ProblemDetails.</summary>
internal static class Problems
{
    public static IResult NotFound(string what, object id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} with id {id}.");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
