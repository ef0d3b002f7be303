using System.Buffers.Binary;
using System.Text;

namespace LeadGen.Core.Calls.Recording;

/// <summary>
/// Writes Opus packets as an Ogg Opus stream (RFC 7845 over the Ogg framing of RFC 3533): an identification header page
/// (OpusHead, beginning of stream), a comment header page (OpusTags), then audio pages of whole packets, the last one
/// flagged end of stream. Granule positions count 48 kHz samples, as RFC 7845 requires whatever the input rate.
/// Not thread-safe.
/// </summary>
public sealed class OggOpusWriter
{
    /// <summary>An audio page is written once it holds this many bytes or <see cref="MaxPacketsPerPage"/> packets.</summary>
    private const int TargetPageBytes = 4000;
    private const int MaxPacketsPerPage = 50; // one second of 20 ms packets: a player can seek to the second
    private const int MaxSegmentsPerPage = 255;

    private readonly Stream _output;
    private readonly int _serial;
    private readonly List<byte[]> _pending = [];
    private int _pendingBytes;
    private int _pageSequence;
    private long _granule;
    private bool _finished;

    /// <param name="channels">1 or 2 (channel mapping family 0).</param>
    /// <param name="inputSampleRate">The rate the audio was encoded from (informational in OpusHead).</param>
    /// <param name="preSkip">Samples at 48 kHz a decoder drops at the start (the encoder's lookahead).</param>
    public OggOpusWriter(Stream output, int channels, int inputSampleRate, int preSkip, int serial, string vendor = "LeadGen Voice (Concentus)")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);
        _output = output;
        _serial = serial;
        PreSkip = preSkip;
        WritePage([IdentificationHeader(channels, inputSampleRate, preSkip)], granule: 0, beginning: true, end: false);
        WritePage([CommentHeader(vendor)], granule: 0, beginning: false, end: false);
    }

    public int PreSkip { get; }

    /// <summary>48 kHz samples of audio written so far (including the pre-skip).</summary>
    public long Granule => _granule;

    /// <summary>Adds one Opus packet holding <paramref name="samplesAt48k"/> samples per channel (960 for 20 ms).</summary>
    public void WritePacket(ReadOnlySpan<byte> packet, int samplesAt48k)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _pending.Add(packet.ToArray());
        _pendingBytes += packet.Length;
        _granule += samplesAt48k;
        if (_pending.Count >= MaxPacketsPerPage || _pendingBytes >= TargetPageBytes || SegmentsOf(_pending) > MaxSegmentsPerPage - 8)
        {
            FlushPage(end: false);
        }
    }

    /// <summary>Writes what is buffered as the last page (end of stream). A stream with no audio still ends properly.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        FlushPage(end: true);
        _finished = true;
    }

    private void FlushPage(bool end)
    {
        if (_pending.Count == 0 && !end)
        {
            return;
        }

        WritePage(_pending, _granule, beginning: false, end);
        _pending.Clear();
        _pendingBytes = 0;
    }

    private void WritePage(IReadOnlyList<byte[]> packets, long granule, bool beginning, bool end)
    {
        var segments = new List<byte>();
        foreach (var packet in packets)
        {
            // Lacing: 255 per full segment, then the remainder (0 when the packet is a multiple of 255).
            var remaining = packet.Length;
            while (remaining >= 255)
            {
                segments.Add(255);
                remaining -= 255;
            }

            segments.Add((byte)remaining);
        }

        var bodyLength = packets.Sum(packet => packet.Length);
        var page = new byte[27 + segments.Count + bodyLength];
        "OggS"u8.CopyTo(page);
        page[4] = 0; // stream structure version
        page[5] = (byte)((beginning ? 0x02 : 0) | (end ? 0x04 : 0));
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(14), _serial);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(18), _pageSequence++);
        page[26] = (byte)segments.Count;
        segments.CopyTo(page, 27);
        var offset = 27 + segments.Count;
        foreach (var packet in packets)
        {
            packet.CopyTo(page, offset);
            offset += packet.Length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Compute(page)); // computed with the field zero
        _output.Write(page);
    }

    private static int SegmentsOf(List<byte[]> packets) => packets.Sum(packet => (packet.Length / 255) + 1);

    private static byte[] IdentificationHeader(int channels, int inputSampleRate, int preSkip)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(head.AsSpan(16), 0); // output gain
        head[18] = 0; // channel mapping family 0: mono or stereo (left, right)
        return head;
    }

    private static byte[] CommentHeader(string vendor)
    {
        var vendorBytes = Encoding.UTF8.GetBytes(vendor);
        var tags = new byte[8 + 4 + vendorBytes.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendorBytes.Length);
        vendorBytes.CopyTo(tags, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(12 + vendorBytes.Length), 0); // no user comments
        return tags;
    }
}

/// <summary>The Ogg page checksum: CRC-32 with polynomial 0x04C11DB7, not reflected, initial value 0, no final XOR.</summary>
public static class OggCrc
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0u;
        foreach (var b in data)
        {
            crc = (crc << 8) ^ Table[(byte)(crc >> 24) ^ b];
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
