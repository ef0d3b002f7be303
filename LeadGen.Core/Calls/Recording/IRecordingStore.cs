namespace LeadGen.Core.Calls.Recording;

/// <summary>Where recordings live: local files in development, a Cloud Storage bucket in production. Keys are relative paths.</summary>
public interface IRecordingStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/> (replacing any object there).</summary>
    Task SaveAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>A seekable stream of the object (the caller disposes it); null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Deletes the object; an object that is already gone is not an error (deletes are retried).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <summary>No store configured: nothing is recorded, and there is nothing to read or delete.</summary>
internal sealed class NoRecordingStore : IRecordingStore
{
    public Task SaveAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No recording store is configured (Recordings:Store).");

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => Task.FromResult<Stream?>(null);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) => Task.CompletedTask;
}
