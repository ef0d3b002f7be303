using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// <see cref="IChatClient"/> for Gemini on Vertex AI over REST: <c>generateContent</c> and
/// <c>streamGenerateContent?alt=sse</c>. Retries 429/500/503/504 and transport failures (honouring Retry-After), fails
/// at once with Google's message on other errors, and bounds each attempt with <see cref="GeminiOptions.RequestTimeout"/>.
/// Telemetry, function invocation, logging and the shared rate limit are layered on top (see GeminiChatClientFactory).
/// </summary>
public sealed class VertexChatClient : IChatClient
{
    public const string ProviderName = "gcp.vertex_ai";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _httpClient;
    private readonly GeminiOptions _options;
    private readonly VertexEndpoint _endpoint;
    private readonly IVertexAuthenticator _authenticator;
    private readonly VertexRetryPolicy _retryPolicy;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ChatClientMetadata _metadata;

    public VertexChatClient(
        HttpClient httpClient,
        GeminiOptions options,
        GeminiMode mode,
        IVertexAuthenticator authenticator,
        TimeProvider timeProvider,
        ILogger<VertexChatClient> logger)
    {
        _httpClient = httpClient;
        _options = options;
        _endpoint = new VertexEndpoint(options, mode);
        _authenticator = authenticator;
        _retryPolicy = new VertexRetryPolicy(options);
        _timeProvider = timeProvider;
        _logger = logger;
        _metadata = new ChatClientMetadata(ProviderName, _endpoint.BaseUri, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? _options.Model;
        var body = Serialize(messages, options);
        var (response, attemptTimeout) = await SendWithRetriesAsync(_endpoint.GenerateContent(model), body, cancellationToken);
        using (response)
        using (attemptTimeout)
        {
            GenerateContentResponse? payload;
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(attemptTimeout.Token);
                payload = await JsonSerializer.DeserializeAsync<GenerateContentResponse>(stream, VertexJson.Options, attemptTimeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new GeminiRequestException($"Vertex AI response body did not arrive within {_options.RequestTimeout.TotalSeconds:F0} s.", null, null, ex);
            }

            return ToChatResponse(payload ?? throw new GeminiRequestException("Vertex AI returned an empty body.", response.StatusCode, null), model);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var model = options?.ModelId ?? _options.Model;
        var body = Serialize(messages, options);
        var (response, idleTimeout) = await SendWithRetriesAsync(_endpoint.StreamGenerateContent(model), body, cancellationToken);
        using (response)
        using (idleTimeout)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            VertexUsageMetadata? lastUsage = null;
            string? responseId = null;
            string? modelVersion = null;
            await foreach (var data in ReadServerSentEventsAsync(stream, idleTimeout, cancellationToken))
            {
                using var document = JsonDocument.Parse(data);
                if (document.RootElement.TryGetProperty("error", out var error))
                {
                    // Vertex reports failures after the stream has started as an error event; there is no retry here
                    // because part of the answer may already have been consumed.
                    var detail = error.Deserialize<VertexError>(VertexJson.Options);
                    throw new GeminiRequestException(
                        $"Vertex AI stream failed: {detail?.Status} {detail?.Message}",
                        detail is { Code: > 0 } ? (System.Net.HttpStatusCode)detail.Code : null,
                        detail?.Status);
                }

                var chunk = document.RootElement.Deserialize<GenerateContentResponse>(VertexJson.Options);
                if (chunk is null)
                {
                    continue;
                }

                lastUsage = chunk.UsageMetadata ?? lastUsage;
                responseId ??= chunk.ResponseId;
                modelVersion ??= chunk.ModelVersion;
                var candidate = chunk.Candidates is { Count: > 0 } candidates ? candidates[0] : null;
                yield return new ChatResponseUpdate(ChatRole.Assistant, VertexResponseMapper.MapParts(candidate))
                {
                    ResponseId = responseId,
                    MessageId = responseId,
                    ModelId = modelVersion ?? model,
                    CreatedAt = chunk.CreateTime,
                    FinishReason = VertexResponseMapper.MapFinishReason(candidate?.FinishReason)
                        ?? (chunk.PromptFeedback?.BlockReason is not null ? ChatFinishReason.ContentFilter : null),
                    RawRepresentation = chunk,
                };
            }

            // Vertex repeats cumulative usage on chunks; report it once, from the last chunk that had it.
            if (VertexResponseMapper.MapUsage(lastUsage) is { } usage)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(usage)])
                {
                    ResponseId = responseId,
                    MessageId = responseId,
                    ModelId = modelVersion ?? model,
                };
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // The HttpClient is shared and owned by the container.
    }

    private byte[] Serialize(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        JsonSerializer.SerializeToUtf8Bytes(VertexRequestMapper.Map(messages, options, _options.ThinkingBudget), VertexJson.Options);

    /// <summary>
    /// Sends until a success or a final failure. Returns the response with its headers read and the attempt's timeout
    /// source, which the caller keeps using while reading the body (streams reset it after every event).
    /// </summary>
    private async Task<(HttpResponseMessage Response, CancellationTokenSource Timeout)> SendWithRetriesAsync(Uri uri, byte[] body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage? response = null;
            Exception? failure;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri)
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } },
                };
                try
                {
                    await _authenticator.AuthenticateAsync(request, timeout.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not HttpRequestException)
                {
                    // No ADC, an unreadable key file, a metadata server that refuses: not retryable, and worth saying plainly.
                    throw new GeminiRequestException($"Could not get Google credentials for Vertex AI: {ex.Message}", null, null, ex);
                }

                response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return (response, timeout);
                }

                failure = await VertexErrorReader.ReadAsync(response, timeout.Token);
                if (!VertexRetryPolicy.IsRetryable(response.StatusCode))
                {
                    throw failure;
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new GeminiRequestException($"Vertex AI did not answer within {_options.RequestTimeout.TotalSeconds:F0} s.", null, null, ex);
            }
            catch (HttpRequestException ex)
            {
                failure = new GeminiRequestException($"Vertex AI could not be reached: {ex.Message}", null, null, ex);
            }
            catch
            {
                response?.Dispose();
                timeout.Dispose();
                throw;
            }

            var retryAfter = response?.Headers.RetryAfter;
            response?.Dispose();
            timeout.Dispose();
            if (attempt >= _retryPolicy.MaxAttempts)
            {
                _logger.LogError("Vertex AI request failed after {Attempts} attempts: {Reason}", attempt, failure.Message);
                throw failure;
            }

            var delay = _retryPolicy.DelayBefore(attempt + 1, retryAfter, _timeProvider.GetUtcNow());
            _logger.LogWarning("Vertex AI attempt {Attempt} failed ({Reason}); retrying in {DelayMs:F0} ms", attempt, failure.Message, delay.TotalMilliseconds);
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// The <c>data:</c> payloads of a text/event-stream (parsed by System.Net.ServerSentEvents); each event must arrive
    /// within the request timeout, so a stalled stream fails instead of hanging the turn.
    /// </summary>
    private async IAsyncEnumerable<byte[]> ReadServerSentEventsAsync(Stream stream, CancellationTokenSource idleTimeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Vertex uses neither event types nor ids: only the data of each event matters.
        var events = SseParser.Create(stream, static (_, data) => data.ToArray()).EnumerateAsync(idleTimeout.Token);
        await using var enumerator = events.GetAsyncEnumerator(idleTimeout.Token);
        while (true)
        {
            idleTimeout.CancelAfter(_options.RequestTimeout);
            bool next;
            try
            {
                next = await enumerator.MoveNextAsync();
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new GeminiRequestException($"Vertex AI stream stalled for more than {_options.RequestTimeout.TotalSeconds:F0} s.", null, null, ex);
            }

            if (!next)
            {
                yield break;
            }

            if (enumerator.Current.Data.Length > 0)
            {
                yield return enumerator.Current.Data;
            }
        }
    }

    private static ChatResponse ToChatResponse(GenerateContentResponse payload, string model)
    {
        var candidate = payload.Candidates is { Count: > 0 } candidates ? candidates[0] : null;
        var finishReason = VertexResponseMapper.MapFinishReason(candidate?.FinishReason)
            ?? (payload.PromptFeedback?.BlockReason is not null ? ChatFinishReason.ContentFilter : null);
        var message = new ChatMessage(ChatRole.Assistant, VertexResponseMapper.MapParts(candidate))
        {
            MessageId = payload.ResponseId,
            RawRepresentation = candidate?.Content,
        };

        return new ChatResponse(message)
        {
            ResponseId = payload.ResponseId,
            ModelId = payload.ModelVersion ?? model,
            CreatedAt = payload.CreateTime,
            FinishReason = finishReason,
            Usage = VertexResponseMapper.MapUsage(payload.UsageMetadata),
            RawRepresentation = payload,
        };
    }
}
