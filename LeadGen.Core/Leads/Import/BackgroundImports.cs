using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Leads.Import;

/// <summary>
/// Asynchronous imports: the upload is first spooled to a temporary file (streamed, constant memory), the job is
/// created with the file's size, and the caller gets the job id at once and polls GET /api/imports/{id}. The file is
/// imported here in the background and deleted afterwards. If the process stops midway, the import's transaction
/// rolls back and the job is reported failed once its heartbeat is stale.
/// </summary>
public sealed class BackgroundImports(LeadImporter importer, ImportJobStore jobs, IOptions<LeadOptions> options, ILogger<BackgroundImports> logger)
    : BackgroundService
{
    private readonly Channel<(ImportJob Job, string Path)> _queue = Channel.CreateUnbounded<(ImportJob, string)>();

    /// <summary>Spools <paramref name="upload"/> to disk, creates the job and queues it; returns the running job.</summary>
    public async Task<ImportJob> EnqueueAsync(Guid campaignId, string format, bool atomic, Stream upload, CancellationToken cancellationToken)
    {
        var folder = string.IsNullOrWhiteSpace(options.Value.ImportSpoolPath) ? Path.GetTempPath() : options.Value.ImportSpoolPath;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"leadgen-import-{Guid.NewGuid():N}.upload");
        try
        {
            long size;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await new SizeLimitedStream(upload, options.Value.ImportMaxBytes).CopyToAsync(file, cancellationToken);
                size = file.Length;
            }

            var job = await jobs.CreateAsync(campaignId, format, atomic, size, cancellationToken);
            await _queue.Writer.WriteAsync((job, path), cancellationToken);
            return job;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (job, path) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await importer.RunAsync(job, file, stoppingToken);
            }
            catch (Exception ex) when (ex is ImportFormatException or ImportTooLargeException)
            {
                // Already recorded on the job (status failed, with the reason).
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Background import {ImportId} failed", job.Id);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
