namespace LeadGen.Core.Calls.Recording;

/// <summary>Where and how call recordings are kept (configuration section <c>Recordings</c>).</summary>
public sealed class RecordingOptions
{
    public const string SectionName = "Recordings";

    /// <summary>
    /// <see cref="RecordingStores"/>: <c>local</c> (files under <see cref="LocalPath"/>), <c>gcs</c> (Cloud Storage
    /// bucket <see cref="Bucket"/>) or <c>none</c> (calls are not recorded). Unset: <c>gcs</c> when a bucket is set,
    /// <c>local</c> in the Development environment, otherwise <c>none</c>.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>Folder for the local store; relative paths are under the host's content root.</summary>
    public string LocalPath { get; set; } = "../.localdata/recordings";

    /// <summary>The Cloud Storage bucket (the storage module's audio bucket, with its lifecycle rules).</summary>
    public string? Bucket { get; set; }

    /// <summary>Another Cloud Storage endpoint (an emulator or a test server), used without credentials.</summary>
    public Uri? StorageEndpoint { get; set; }

    /// <summary>Resumable-upload chunk size (a multiple of 256 KiB).</summary>
    public int UploadChunkBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Recording rate, 8000 or 16000 Hz. 8 kHz (default) is what a phone caller hears and says (Twilio carries 8 kHz
    /// μ-law both ways); 16 kHz keeps more of a browser call's agent voice.
    /// </summary>
    public int SampleRate { get; set; } = 8_000;

    /// <summary>Opus bit rate for the two channels together. Below about 32 kbit/s the encoder folds stereo into mono, which would mix caller and agent.</summary>
    public int BitsPerSecond { get; set; } = 32_000;

    /// <summary>Opus encoder complexity 0–10: CPU per call against quality; telephone speech needs little.</summary>
    public int EncoderComplexity { get; set; } = 1;
}

public static class RecordingStores
{
    public const string Local = "local";
    public const string CloudStorage = "gcs";
    public const string None = "none";
}
