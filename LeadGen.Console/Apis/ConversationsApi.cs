using LeadGen.Core.Agent.Conversations;

namespace LeadGen.Console.Apis;

/// <summary>
/// The text conversation API under <c>/api/conversations</c> (behind the management API key like the rest of /api).
/// Errors are ProblemDetails: 400 bad input, 404 unknown lead or conversation, 409 ended/busy/do-not-call, 502 when
/// the model failed (the lead's message is not stored and can be resent).
/// </summary>
public static class ConversationEndpoints
{
    public static RouteGroupBuilder MapConversationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/conversations").WithTags("Conversations").WithApiProblemResponses();

        group.MapPost("/", async (StartConversationRequest? request, ConversationService service, CancellationToken cancellationToken) =>
        {
            if (request?.LeadId is not { } leadId || leadId == Guid.Empty)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["leadId"] = ["A lead id is required."] }, detail: "A lead id is required.");
            }

            var result = await service.StartAsync(leadId, cancellationToken);
            return result.Value is { } started
                ? Results.Created($"/api/conversations/{started.ConversationId}", started)
                : Problem(result);
        }).WithName("StartConversation").WithSummary("Starts a text conversation between the qualification agent and a lead.")
            .Produces<ConversationTurnResult>(StatusCodes.Status201Created).WithConversationProblems();

        group.MapPost("/{id:guid}/messages", async (Guid id, ConversationMessageRequest? request, ConversationService service, CancellationToken cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(request?.Text))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = ["The lead's message text is required."] }, detail: "The lead's message text is required.");
            }

            var result = await service.SendAsync(id, request.Text, cancellationToken);
            return result.Value is { } turn ? Results.Ok(turn) : Problem(result);
        }).WithName("SendConversationMessage").WithSummary("Sends what the lead says; returns the agent's reply.")
            .Produces<ConversationTurnResult>().WithConversationProblems();

        group.MapGet("/{id:guid}", async (Guid id, ConversationService service, CancellationToken cancellationToken) =>
            await service.GetAsync(id, cancellationToken) is { } view
                ? Results.Ok(view)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Conversation {id} does not exist."))
            .WithName("GetConversation").WithSummary("The conversation's status, transcript and analysis.")
            .Produces<ConversationView>().ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    private static RouteHandlerBuilder WithConversationProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status502BadGateway);

    private static IResult Problem(ConversationResult result) => result.Error switch
    {
        ConversationError.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Message),
        ConversationError.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Message),
        ConversationError.Invalid => Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [result.Message ?? "Invalid message."] }, detail: result.Message),
        _ => Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The language model failed", detail: result.Message),
    };
}

public sealed record StartConversationRequest(Guid? LeadId);

public sealed record ConversationMessageRequest(string? Text);
