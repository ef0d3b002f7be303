namespace LeadGen.Console.Apis;

/// <summary>
/// The error responses every /api operation can give, declared once per route group so the OpenAPI document types
/// them: 400 (validation shape, errors per field), 401 (missing or wrong API key), 500; all ProblemDetails.
/// Operation-specific ones (404, 409, 413, …) are declared on the operation.
/// </summary>
public static class ApiProblemResponses
{
    public static RouteGroupBuilder WithApiProblemResponses(this RouteGroupBuilder group) => group
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status500InternalServerError);
}
