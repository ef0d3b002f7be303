using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadGen.Testing.GoogleCloud;

/// <summary>One object held by <see cref="FakeCloudStorageServer"/>.</summary>
public sealed record StoredObject(string Name, string ContentType, byte[] Content, long Generation);

/// <summary>
/// A stand-in for the Cloud Storage JSON API on 127.0.0.1, for one bucket, so <c>Google.Cloud.Storage.V1</c> runs
/// unchanged against it (<c>StorageClientBuilder { BaseUri = <see cref="BaseUri"/>, UnauthenticatedAccess = true }</c>).
/// It speaks the documented wire format: resumable uploads (<c>POST /upload/storage/v1/b/{bucket}/o?uploadType=resumable</c>
/// with the object's metadata → 200 and the session URI in <c>Location</c>; <c>PUT</c> chunks to it with
/// <c>Content-Range: bytes a-b/*</c> → <c>308 Resume Incomplete</c> with <c>Range: bytes=0-b</c>, the last chunk with
/// the total size → 200 and the object resource; <c>bytes */*</c> asks how much arrived), object get (metadata, or
/// <c>alt=media</c> with <c>x-goog-hash</c> crc32c), delete (204) and list (<c>prefix</c>), and Google's error JSON (404
/// notFound). Other upload types answer 400, so a client that stopped using resumable uploads fails the tests.
/// </summary>
public sealed class FakeCloudStorageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Session> _sessions = new();
    private long _generation = 1_700_000_000_000_000;

    private FakeCloudStorageServer(WebApplication app, string bucket, Uri root)
    {
        _app = app;
        Bucket = bucket;
        Root = root;
    }

    public string Bucket { get; }

    public Uri Root { get; }

    /// <summary>What to pass as the client's BaseUri (the JSON API's base path).</summary>
    public string BaseUri => new Uri(Root, "storage/v1/").ToString();

    public ConcurrentDictionary<string, StoredObject> Objects { get; } = new();

    /// <summary>Every request as "METHOD path?query" (for asserting the protocol used).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How many PUTs were answered 308 Resume Incomplete.</summary>
    public int ResumeIncompleteResponses => _resumeIncomplete;

    private int _resumeIncomplete;

    /// <summary>When set, every request answers this status (an outage).</summary>
    public HttpStatusCode? FailWith { get; set; }

    public static async Task<FakeCloudStorageServer> StartAsync(string bucket = "leadgen-audio-test")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = FreePort.Next();
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            options.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var server = new FakeCloudStorageServer(app, bucket, new Uri($"http://127.0.0.1:{port}/"));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        Requests.Enqueue($"{request.Method} {request.Path}{request.QueryString}");
        if (FailWith is { } failure)
        {
            await ErrorAsync(http, (int)failure, "backendError", "Injected failure.");
            return;
        }

        // Kestrel leaves %2F encoded in the path: object names keep their slashes only after this.
        var path = Uri.UnescapeDataString(request.Path.Value ?? string.Empty);
        var uploadPrefix = $"/upload/storage/v1/b/{Bucket}/o";
        var objectsPrefix = $"/storage/v1/b/{Bucket}/o";
        if (path == uploadPrefix && request.Method == HttpMethods.Post)
        {
            await StartUploadAsync(http);
        }
        else if (path == uploadPrefix && request.Method == HttpMethods.Put)
        {
            await PutChunkAsync(http);
        }
        else if (path == objectsPrefix && request.Method == HttpMethods.Get)
        {
            await ListAsync(http);
        }
        else if (path.StartsWith(objectsPrefix + "/", StringComparison.Ordinal))
        {
            var name = path[(objectsPrefix.Length + 1)..];
            if (request.Method == HttpMethods.Get)
            {
                await GetAsync(http, name);
            }
            else if (request.Method == HttpMethods.Delete)
            {
                await DeleteAsync(http, name);
            }
            else
            {
                await ErrorAsync(http, 405, "methodNotAllowed", "Not supported by the fake.");
            }
        }
        else
        {
            await ErrorAsync(http, 404, "notFound", $"Not Found: {path}");
        }
    }

    private async Task StartUploadAsync(HttpContext http)
    {
        if (http.Request.Query["uploadType"] != "resumable")
        {
            await ErrorAsync(http, 400, "invalid", "This fake accepts only uploadType=resumable.");
            return;
        }

        var text = Encoding.UTF8.GetString((await ReadBodyAsync(http.Request)).ToArray());
        var metadata = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        var name = metadata?["name"]?.GetValue<string>() ?? http.Request.Query["name"].ToString();
        if (string.IsNullOrEmpty(name))
        {
            await ErrorAsync(http, 400, "required", "Required: object name.");
            return;
        }

        var contentType = metadata?["contentType"]?.GetValue<string>() ?? http.Request.Headers["X-Upload-Content-Type"].ToString();
        var id = Guid.NewGuid().ToString("N");
        _sessions[id] = new Session(name, string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType);
        http.Response.Headers.Location = new Uri(Root, $"upload/storage/v1/b/{Bucket}/o?uploadType=resumable&upload_id={id}").ToString();
        http.Response.StatusCode = 200;
    }

    private async Task PutChunkAsync(HttpContext http)
    {
        if (!_sessions.TryGetValue(http.Request.Query["upload_id"].ToString(), out var session))
        {
            await ErrorAsync(http, 404, "notFound", "No such upload session.");
            return;
        }

        var body = await ReadBodyAsync(http.Request);
        var range = http.Request.Headers.ContentRange.ToString(); // "bytes a-b/*", "bytes a-b/total", "bytes */total", "bytes */*"
        var slash = range.IndexOf('/', StringComparison.Ordinal);
        if (!range.StartsWith("bytes ", StringComparison.Ordinal) || slash < 0)
        {
            await ErrorAsync(http, 400, "invalid", "Content-Range is required.");
            return;
        }

        var span = range[6..slash];
        var totalText = range[(slash + 1)..];
        long? total = totalText == "*" ? null : long.Parse(totalText, CultureInfo.InvariantCulture);
        lock (session)
        {
            if (span != "*")
            {
                var dash = span.IndexOf('-', StringComparison.Ordinal);
                var first = long.Parse(span[..dash], CultureInfo.InvariantCulture);
                var last = long.Parse(span[(dash + 1)..], CultureInfo.InvariantCulture);
                if (last - first + 1 != body.Length)
                {
                    http.Response.StatusCode = 400;
                    return;
                }

                // A chunk resent after a lost response overlaps what arrived: keep only the new bytes.
                if (first <= session.Content.Length)
                {
                    var skip = session.Content.Length - first;
                    session.Content.Write(body.GetBuffer(), (int)skip, (int)Math.Max(0, body.Length - skip));
                }
                else
                {
                    http.Response.StatusCode = 400;
                    return;
                }
            }
        }

        if (total is { } size && size == session.Content.Length)
        {
            _sessions.TryRemove(http.Request.Query["upload_id"].ToString(), out _);
            var stored = new StoredObject(session.Name, session.ContentType, session.Content.ToArray(), Interlocked.Increment(ref _generation));
            Objects[stored.Name] = stored;
            await WriteJsonAsync(http, 200, Resource(stored));
            return;
        }

        Interlocked.Increment(ref _resumeIncomplete);
        http.Response.StatusCode = 308; // Resume Incomplete
        if (session.Content.Length > 0)
        {
            http.Response.Headers.Range = $"bytes=0-{session.Content.Length - 1}";
        }
    }

    private async Task GetAsync(HttpContext http, string name)
    {
        if (!Objects.TryGetValue(name, out var stored))
        {
            await ErrorAsync(http, 404, "notFound", $"No such object: {Bucket}/{name}");
            return;
        }

        if (http.Request.Query["alt"] == "media")
        {
            http.Response.ContentType = stored.ContentType;
            http.Response.Headers["x-goog-hash"] = $"crc32c={Crc32C(stored.Content)}";
            http.Response.Headers["x-goog-generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture);
            http.Response.ContentLength = stored.Content.Length;
            await http.Response.Body.WriteAsync(stored.Content);
            return;
        }

        await WriteJsonAsync(http, 200, Resource(stored));
    }

    private async Task DeleteAsync(HttpContext http, string name)
    {
        if (!Objects.TryRemove(name, out _))
        {
            await ErrorAsync(http, 404, "notFound", $"No such object: {Bucket}/{name}");
            return;
        }

        http.Response.StatusCode = 204;
    }

    private async Task ListAsync(HttpContext http)
    {
        var prefix = http.Request.Query["prefix"].ToString();
        var items = new JsonArray();
        foreach (var stored in Objects.Values.Where(o => o.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            items.Add(Resource(stored));
        }

        await WriteJsonAsync(http, 200, new JsonObject { ["kind"] = "storage#objects", ["items"] = items });
    }

    private JsonObject Resource(StoredObject stored) => new()
    {
        ["kind"] = "storage#object",
        ["id"] = $"{Bucket}/{stored.Name}/{stored.Generation}",
        ["selfLink"] = new Uri(Root, $"storage/v1/b/{Bucket}/o/{Uri.EscapeDataString(stored.Name)}").ToString(),
        ["name"] = stored.Name,
        ["bucket"] = Bucket,
        ["generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture),
        ["metageneration"] = "1",
        ["contentType"] = stored.ContentType,
        ["storageClass"] = "STANDARD",
        ["size"] = stored.Content.Length.ToString(CultureInfo.InvariantCulture),
        ["crc32c"] = Crc32C(stored.Content),
        ["timeCreated"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["updated"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
    };

    private static Task ErrorAsync(HttpContext http, int status, string reason, string message) =>
        WriteJsonAsync(http, status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = message,
                ["errors"] = new JsonArray(new JsonObject { ["domain"] = "global", ["reason"] = reason, ["message"] = message }),
            },
        });

    private static async Task WriteJsonAsync(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=UTF-8";
        await http.Response.WriteAsync(body.ToJsonString(JsonSerializerOptions.Default));
    }

    /// <summary>The request body; the Google client gzips request bodies (<c>Content-Encoding: gzip</c>), as Cloud Storage accepts.</summary>
    private static async Task<MemoryStream> ReadBodyAsync(HttpRequest request)
    {
        var body = new MemoryStream();
        if (request.Headers.ContentEncoding == "gzip")
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(body);
        }
        else
        {
            await request.Body.CopyToAsync(body);
        }

        return body;
    }

    /// <summary>CRC-32C (Castagnoli), big-endian, base64: the form Cloud Storage reports.</summary>
    private static string Crc32C(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, ~crc);
        return Convert.ToBase64String(bytes);
    }

    private sealed class Session(string name, string contentType)
    {
        public string Name { get; } = name;

        public string ContentType { get; } = contentType;

        public MemoryStream Content { get; } = new();
    }
}
