using System.Text.Json;
using System.Text.Json.Nodes;
using LeadGen.Core.Agent;
using LeadGen.Core.Agent.Tools;
using LeadGen.Core.Calls.Realtime;
using Microsoft.Extensions.AI;

namespace LeadGen.Core.Calls.Live;

/// <summary>
/// The agent's own tools (<see cref="QualificationTools"/>: record_lead_details, schedule_callback, mark_do_not_call,
/// transfer_to_human, end_call) offered to the realtime engine: their JSON schemas are the declarations (each engine
/// converts them to its own dialect), and a tool call runs the same function the text agent runs, against the lead and
/// campaign loaded with the call's context.
/// </summary>
public sealed class AgentLiveCallTools(ILeadQualificationStore store, TimeProvider time) : ILiveCallToolExecutor
{
    public IReadOnlyList<RealtimeToolDeclaration> Declarations { get; } =
        [.. Create(new AgentContext(Guid.Empty, Guid.Empty, Guid.Empty), store, time).Functions.OfType<AIFunction>()
            .Select(function => new RealtimeToolDeclaration(function.Name, function.Description, JsonSerializer.SerializeToNode(function.JsonSchema) as JsonObject ?? []))];

    /// <summary>The same tools as declarations for a chat model: the text engine gets the calls back and dispatches them like a realtime engine's.</summary>
    public IList<AITool> ChatDeclarations { get; } =
        [.. Create(new AgentContext(Guid.Empty, Guid.Empty, Guid.Empty), store, time).Functions.OfType<AIFunction>().Select(AITool (function) => function.AsDeclarationOnly())];

    public async Task<JsonObject> ExecuteAsync(LiveCallContext context, RealtimeToolCall toolCall, CancellationToken cancellationToken)
    {
        if (context.LeadId is not { } leadId || context.CampaignId is not { } campaignId)
        {
            return new JsonObject { ["error"] = "This caller is not a known lead; nothing can be recorded for them." };
        }

        var function = Create(new AgentContext(leadId, campaignId, context.CallId), store, time).Functions.OfType<AIFunction>()
            .FirstOrDefault(candidate => candidate.Name == toolCall.Name);
        if (function is null)
        {
            return new JsonObject { ["error"] = $"Unknown tool '{toolCall.Name}'." };
        }

        var arguments = new AIFunctionArguments();
        foreach (var (name, value) in toolCall.Arguments)
        {
            arguments[name] = value is null ? null : JsonSerializer.SerializeToElement(value);
        }

        var result = await function.InvokeAsync(arguments, cancellationToken);
        return JsonSerializer.SerializeToNode(result) as JsonObject ?? new JsonObject { ["result"] = JsonSerializer.SerializeToNode(result) };
    }

    private static QualificationTools Create(AgentContext context, ILeadQualificationStore store, TimeProvider time) =>
        new(context, store, time, new ConversationState());
}
