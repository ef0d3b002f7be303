using System.Net;
using Google.Cloud.Storage.V1;
using LeadGen.Core.Calls.Recording;
using LeadGen.Testing.GoogleCloud;

namespace LeadGen.Calls.Tests.Recording;

/// <summary>
/// The one storage contract, against both implementations: local files, and Cloud Storage through the real
/// <c>Google.Cloud.Storage.V1</c> client talking to a fake server that speaks the JSON API (resumable uploads).
/// </summary>
public sealed class RecordingStoreTests
{
    private const int Chunk = 256 * 1024;

    public static TheoryData<string> Stores => new() { "local", "gcs" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Saves_reads_back_and_deletes_and_a_missing_object_is_not_an_error(string kind)
    {
        await using var fixture = await StoreFixture.CreateAsync(kind);
        var store = fixture.Store;
        var content = new byte[(Chunk * 3) + 12_345]; // several resumable chunks and a partial last one
        Random.Shared.NextBytes(content);

        await store.SaveAsync("calls/abc.ogg", new MemoryStream(content), CallRecorder.ContentType, CancellationToken.None);
        await using (var read = await store.OpenReadAsync("calls/abc.ogg", CancellationToken.None))
        {
            Assert.NotNull(read);
            Assert.True(read.CanSeek, "the console serves byte ranges from it");
            var back = new MemoryStream();
            await read.CopyToAsync(back);
            Assert.Equal(content, back.ToArray());
        }

        await store.DeleteAsync("calls/abc.ogg", CancellationToken.None);
        Assert.Null(await store.OpenReadAsync("calls/abc.ogg", CancellationToken.None));
        await store.DeleteAsync("calls/abc.ogg", CancellationToken.None); // again: already gone is fine
        Assert.Null(await store.OpenReadAsync("calls/never.ogg", CancellationToken.None));
    }

    [Fact]
    public async Task Cloud_storage_uploads_are_resumable_in_chunks_and_land_as_one_object()
    {
        await using var fixture = await StoreFixture.CreateAsync("gcs");
        var content = new byte[(Chunk * 2) + 1000];
        Random.Shared.NextBytes(content);
        await fixture.Store.SaveAsync("calls/long.ogg", new MemoryStream(content), CallRecorder.ContentType, CancellationToken.None);

        var gcs = fixture.Gcs!;
        Assert.Contains(gcs.Requests, r => r.StartsWith($"POST /upload/storage/v1/b/{gcs.Bucket}/o", StringComparison.Ordinal) && r.Contains("uploadType=resumable", StringComparison.Ordinal));
        Assert.Equal(3, gcs.Requests.Count(r => r.StartsWith("PUT ", StringComparison.Ordinal)));
        Assert.Equal(2, gcs.ResumeIncompleteResponses); // 308 after each full chunk
        var stored = gcs.Objects["calls/long.ogg"];
        Assert.Equal("audio/ogg", stored.ContentType);
        Assert.Equal(content, stored.Content);

        // The same client lists what is there (what an operator's script would do).
        var client = new StorageClientBuilder { BaseUri = gcs.BaseUri, UnauthenticatedAccess = true }.Build();
        var listed = await client.ListObjectsAsync(gcs.Bucket, "calls/").ToListAsync();
        Assert.Equal("calls/long.ogg", Assert.Single(listed).Name);
        Assert.Equal((ulong)content.Length, listed[0].Size);
    }

    [Fact]
    public async Task A_storage_outage_is_an_error_the_caller_sees()
    {
        await using var fixture = await StoreFixture.CreateAsync("gcs");
        fixture.Gcs!.FailWith = HttpStatusCode.Forbidden;
        await Assert.ThrowsAsync<Google.GoogleApiException>(() => fixture.Store.DeleteAsync("calls/x.ogg", CancellationToken.None));
    }

    [Fact]
    public async Task Local_keys_cannot_leave_the_folder()
    {
        await using var fixture = await StoreFixture.CreateAsync("local");
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Store.SaveAsync("../escape.ogg", new MemoryStream([1]), CallRecorder.ContentType, CancellationToken.None));
    }
}

/// <summary>A recording store of either kind with what it needs (a temp folder, or the fake Cloud Storage server).</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    private readonly string? _folder;

    private StoreFixture(IRecordingStore store, FakeCloudStorageServer? gcs, string? folder)
    {
        Store = store;
        Gcs = gcs;
        _folder = folder;
    }

    public IRecordingStore Store { get; }

    public FakeCloudStorageServer? Gcs { get; }

    public static async Task<StoreFixture> CreateAsync(string kind)
    {
        if (kind == "local")
        {
            var folder = Path.Combine(Path.GetTempPath(), "leadgen-tests", "recordings", Guid.NewGuid().ToString("N"));
            return new StoreFixture(new LocalRecordingStore(folder), null, folder);
        }

        var gcs = await FakeCloudStorageServer.StartAsync();
        var client = new StorageClientBuilder { BaseUri = gcs.BaseUri, UnauthenticatedAccess = true }.Build();
        return new StoreFixture(new CloudStorageRecordingStore(client, gcs.Bucket, 256 * 1024), gcs, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (Gcs is not null)
        {
            await Gcs.DisposeAsync();
        }

        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
