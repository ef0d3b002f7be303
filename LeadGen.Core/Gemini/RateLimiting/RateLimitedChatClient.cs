using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace LeadGen.Core.Gemini.RateLimiting;

/// <summary>
/// Takes a slot from the shared limiter before every model request (each round of a function-calling loop counts)
/// and reports the tokens the model actually used afterwards.
/// </summary>
public sealed class RateLimitedChatClient(IChatClient innerClient, IGeminiRateLimiter limiter, string defaultModel) : DelegatingChatClient(innerClient)
{
    /// <summary>Output tokens assumed when a request sets no maximum.</summary>
    private const int DefaultOutputEstimate = 256;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var lease = await limiter.AcquireAsync(options?.ModelId ?? defaultModel, Estimate(list, options), cancellationToken);
        var response = await base.GetResponseAsync(list, options, cancellationToken);
        await lease.CompleteAsync(ToInt(response.Usage?.TotalTokenCount), CancellationToken.None);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var lease = await limiter.AcquireAsync(options?.ModelId ?? defaultModel, Estimate(list, options), cancellationToken);
        long? total = null;
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken))
        {
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                total = (total ?? 0) + (usage.Details.TotalTokenCount ?? 0);
            }

            yield return update;
        }

        await lease.CompleteAsync(ToInt(total), CancellationToken.None);
    }

    /// <summary>Rough count (about four characters a token) of what the request sends plus what it may produce.</summary>
    internal static int Estimate(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        long characters = options?.Instructions?.Length ?? 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                characters += content switch
                {
                    TextContent text => text.Text.Length,
                    FunctionCallContent call => call.Name.Length + (call.Arguments?.Sum(pair => pair.Key.Length + (pair.Value?.ToString()?.Length ?? 0)) ?? 0),
                    FunctionResultContent result => result.Result?.ToString()?.Length ?? 0,
                    _ => 0,
                };
            }
        }

        foreach (var tool in options?.Tools ?? [])
        {
            characters += tool.Name.Length + tool.Description.Length + (tool is AIFunctionDeclaration function ? function.JsonSchema.GetRawText().Length : 0);
        }

        return (int)Math.Min(int.MaxValue, (characters / 4) + (options?.MaxOutputTokens ?? DefaultOutputEstimate));
    }

    private static int? ToInt(long? value) => value is null ? null : (int)Math.Min(int.MaxValue, value.Value);
}
