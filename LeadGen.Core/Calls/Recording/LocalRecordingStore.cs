namespace LeadGen.Core.Calls.Recording;

/// <summary>Recordings as files under one folder (development). Writes go to a temporary name first, so a reader never sees half a file.</summary>
public sealed class LocalRecordingStore(string root) : IRecordingStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public async Task SaveAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".partial";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true) : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key)); // no error when missing
        return Task.CompletedTask;
    }

    /// <summary>The file for a key; keys that would leave the folder are refused.</summary>
    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Recording key '{key}' is outside the store.", nameof(key));
        }

        return path;
    }
}
