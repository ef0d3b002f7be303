using Google.Cloud.Storage.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadGen.Core.Calls.Recording;

public static class RecordingsHostingExtensions
{
    /// <summary>
    /// The recording store (<see cref="RecordingOptions"/>: local files, a Cloud Storage bucket, or none; validated on
    /// start) and the recorder that live calls use, with its telemetry. Every host gets it with its data stores: the VoiceApi records, the console plays
    /// and erases, the Worker's retention job deletes.
    /// </summary>
    public static IHostApplicationBuilder AddLeadGenRecordings(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RecordingOptions>()
            .Bind(builder.Configuration.GetSection(RecordingOptions.SectionName))
            .Validate(
                options => options.Store is null || options.Store.Trim().ToLowerInvariant() is RecordingStores.Local or RecordingStores.CloudStorage or RecordingStores.None,
                "Recordings:Store must be local, gcs or none.")
            .Validate(options => options.UploadChunkBytes > 0 && options.SampleRate > 0 && options.BitsPerSecond > 0, "Recordings:UploadChunkBytes, SampleRate and BitsPerSecond must be positive.")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<RecordingTelemetry>();
        var isDevelopment = builder.Environment.IsDevelopment();
        var contentRoot = builder.Environment.ContentRootPath;
        services.TryAddSingleton<IRecordingStore>(sp => CreateStore(sp, isDevelopment, contentRoot));
        services.TryAddSingleton<CallRecorder>();
        return builder;
    }

    private static IRecordingStore CreateStore(IServiceProvider services, bool isDevelopment, string contentRoot)
    {
        var options = services.GetRequiredService<IOptions<RecordingOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RecordingsHostingExtensions));
        var kind = options.Store?.Trim().ToLowerInvariant()
            ?? (options.Bucket is { Length: > 0 } ? RecordingStores.CloudStorage : isDevelopment ? RecordingStores.Local : RecordingStores.None);
        switch (kind)
        {
            case RecordingStores.Local:
                var root = Path.GetFullPath(Path.Combine(contentRoot, options.LocalPath));
                logger.LogInformation("Call recordings: local files under {Folder}", root);
                return new LocalRecordingStore(root);
            case RecordingStores.CloudStorage:
                if (options.Bucket is not { Length: > 0 } bucket)
                {
                    throw new OptionsValidationException(RecordingOptions.SectionName, typeof(RecordingOptions), ["Recordings:Store is gcs but Recordings:Bucket is not set."]);
                }

                logger.LogInformation("Call recordings: Cloud Storage bucket {Bucket}", bucket);
                return new CloudStorageRecordingStore(CreateClient(options), bucket, options.UploadChunkBytes);
            case RecordingStores.None:
                logger.LogWarning("Call recordings are off: no store configured (set Recordings:Bucket, or Recordings:Store=local)");
                return new NoRecordingStore();
            default:
                throw new OptionsValidationException(RecordingOptions.SectionName, typeof(RecordingOptions), [$"Recordings:Store must be local, gcs or none (was '{options.Store}')."]);
        }
    }

    /// <summary>Application Default Credentials in Google Cloud; an explicit endpoint (emulator, tests) is used without credentials.</summary>
    private static StorageClient CreateClient(RecordingOptions options) => options.StorageEndpoint is { } endpoint
        ? new StorageClientBuilder { BaseUri = endpoint.ToString(), UnauthenticatedAccess = true }.Build()
        : StorageClient.Create();
}
