using System.Diagnostics;
using System.Globalization;
using System.Text;
using LeadGen.Testing;

namespace LeadGen.Pipeline.Tests;

/// <summary>
/// The built LeadGen.Console (which serves the management API) started as its own process on 127.0.0.1 (as Cloud Run starts the container: environment
/// variables for the connection strings and the management key), against real local Postgres and Redis.
/// </summary>
internal sealed class ConsoleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ConsoleProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<ConsoleProcess> StartAsync(string databaseConnection, string cacheConnection, string managementApiKey, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(ToolProcess.BuiltAssembly("LeadGen.Console"))!,
        };
        startInfo.ArgumentList.Add(ToolProcess.BuiltAssembly("LeadGen.Console"));
        startInfo.Environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["ConnectionStrings__leadgendb"] = databaseConnection;
        startInfo.Environment["ConnectionStrings__cache"] = cacheConnection;
        startInfo.Environment["ManagementApi__ApiKey"] = managementApiKey;
        startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var api = new ConsoleProcess(Process.Start(startInfo)!, baseUrl);
        api._process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        await api.WaitUntilAliveAsync(cancellationToken);
        return api;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilAliveAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"LeadGen.Console exited during startup:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("alive", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
