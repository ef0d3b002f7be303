using System.Net;
using Google;
using Google.Cloud.Storage.V1;

namespace LeadGen.Core.Calls.Recording;

/// <summary>
/// Recordings in a Cloud Storage bucket (production) through <c>Google.Cloud.Storage.V1</c>: uploads are resumable
/// (chunked, so a large recording survives a dropped connection), reads download to a temporary file so the console can
/// serve byte ranges, deletes treat a missing object as done.
/// </summary>
public sealed class CloudStorageRecordingStore(StorageClient client, string bucket, int chunkBytes) : IRecordingStore
{
    public async Task SaveAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var options = new UploadObjectOptions { ChunkSize = chunkBytes };
        await client.UploadObjectAsync(bucket, key, contentType, content, options, cancellationToken);
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await client.DownloadObjectAsync(bucket, key, file, cancellationToken: cancellationToken);
            file.Position = 0;
            return file;
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            await file.DisposeAsync();
            return null;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteObjectAsync(bucket, key, cancellationToken: cancellationToken);
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: a retried delete, or the bucket's lifecycle rule was first.
        }
    }
}
