using System.Security.Cryptography;
using System.Text;

namespace LeadGen.Core.Queue;

/// <summary>
/// A job id derived from a name (e.g. "dialer:{campaign}:{tick}"): every Worker instance scheduling the same tick
/// computes the same id, so the outbox and the idempotency marker collapse the duplicates into one job.
/// </summary>
public static class DeterministicJobId
{
    public static Guid For(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
