using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace LeadGen.Core.Gemini.Vertex;

/// <summary>
/// Readiness check that the configured models exist on Vertex AI: <c>GET /v1/publishers/google/models/{model}</c>
/// (Model Garden's publisher model resource) on the configured host. A 404 — retired or never existed — fails the
/// check with a message naming the setting to change (<c>Gemini:Model</c> / <c>Gemini:LiveModel</c>, environment
/// <c>Gemini__Model</c> / <c>Gemini__LiveModel</c>). When the check itself cannot decide (network, credentials), it
/// reports Degraded, not Unhealthy: a probe's own trouble must not take the service out of rotation. A verdict is kept
/// for <see cref="RecheckAfter"/> (an hour: models retire on a date while services run), an undecided one for a minute.
/// Offline mode has no model to check.
/// </summary>
public sealed class GeminiModelHealthCheck(
    GeminiOptions options,
    IReadOnlyList<GeminiModelSetting> models,
    HttpClient httpClient,
    IVertexAuthenticator? authenticator,
    TimeProvider time,
    ILogger<GeminiModelHealthCheck> logger) : IHealthCheck
{
    public const string Name = "gemini-models";
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromHours(1);
    private static readonly TimeSpan RetryUndecidedAfter = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _check;
    private DateTimeOffset _validUntil;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var mode = options.ResolveMode();
        if (mode == GeminiMode.Offline || authenticator is null)
        {
            return HealthCheckResult.Healthy("Gemini is offline: no model to check.");
        }

        Task<HealthCheckResult> check;
        lock (_gate)
        {
            // One check at a time, shared by every probe; a finished verdict is reused until it expires.
            if (_check is null || (_check.IsCompleted && time.GetUtcNow() >= _validUntil))
            {
                _check = RunAsync(new VertexEndpoint(options, mode));
            }

            check = _check;
        }

        return await check.WaitAsync(cancellationToken);
    }

    private async Task<HealthCheckResult> RunAsync(VertexEndpoint endpoint)
    {
        var result = await CheckAsync(endpoint, CancellationToken.None);
        _validUntil = time.GetUtcNow() + (result.Status == HealthStatus.Degraded ? RetryUndecidedAfter : RecheckAfter);
        return result;
    }

    private async Task<HealthCheckResult> CheckAsync(VertexEndpoint endpoint, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        var undecided = new List<string>();
        foreach (var model in models)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, endpoint.PublisherModelResource(model.Model));
                await authenticator!.AuthenticateAsync(request, cancellationToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.RequestTimeout);
                using var response = await httpClient.SendAsync(request, timeout.Token);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    missing.Add($"model '{model.Model}' is retired or unknown on Vertex AI (404 for publishers/google/models/{model.Model} at {endpoint.BaseUri.Host}): set {model.Setting} (environment {model.Setting.Replace(":", "__", StringComparison.Ordinal)}) to a current model from Google's model lifecycle page");
                }
                else if (!response.IsSuccessStatusCode)
                {
                    undecided.Add($"could not check model '{model.Model}' ({model.Setting}): Vertex AI answered {(int)response.StatusCode}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                undecided.Add($"could not check model '{model.Model}' ({model.Setting}): {exception.Message}");
            }
        }

        if (missing.Count > 0)
        {
            var message = "Gemini " + string.Join("; ", missing) + ".";
            logger.LogError("Model check failed: {Message}", message);
            return HealthCheckResult.Unhealthy(message);
        }

        if (undecided.Count > 0)
        {
            var message = "Gemini " + string.Join("; ", undecided) + ".";
            logger.LogWarning("Model check undecided: {Message}", message);
            return HealthCheckResult.Degraded(message);
        }

        return HealthCheckResult.Healthy("Gemini models exist: " + string.Join(", ", models.Select(model => $"{model.Setting}={model.Model}")) + ".");
    }
}

/// <param name="Setting">The configuration key an operator changes (<c>Gemini:Model</c>).</param>
public sealed record GeminiModelSetting(string Setting, string Model);
