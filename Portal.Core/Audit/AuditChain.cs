using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Audit;

/// <summary>
/// The audit log's hash chain (SECURITY-CASES 104h (2)): each row stores SHA-256(previous row's hash || canonical encoding of
/// its own fields). The writer and the verifier share this one encoding, so they cannot drift apart.
/// </summary>
internal static class AuditChain
{
    /// <summary>Longest chain id; also the column length.</summary>
    public const int MaxChainIdLength = 64;

    /// <summary>The "previous hash" of a chain's first row (sequence 1).</summary>
    public static readonly string GenesisHash = new('0', 64);

    // Bumped if the field list ever changes, so old and new encodings can never produce the same bytes.
    private const byte EncodingVersion = 1;

    /// <summary>
    /// PostgreSQL stores timestamps to the microsecond, SQLite to the tick: the writer rounds down to microseconds (in UTC) before
    /// storing and hashing, so the value read back from either provider hashes the same.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset timestamp)
    {
        var ticks = timestamp.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    /// <summary>The lowercase hex SHA-256 of <paramref name="previousHash"/> followed by the row's canonical encoding.</summary>
    public static string ComputeHash(string previousHash, AuditEventEntity row)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Convert.FromHexString(previousHash));
        hash.AppendData(Encode(row));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Fixed field order; every string length-prefixed (big-endian int32, -1 for null) so no two different rows encode alike
    /// (a value cannot spill into the next field, whatever characters it contains).
    /// </summary>
    internal static byte[] Encode(AuditEventEntity row)
    {
        using var buffer = new MemoryStream(256);
        buffer.WriteByte(EncodingVersion);
        WriteString(buffer, row.ChainId);
        WriteInt64(buffer, row.Sequence ?? 0);
        WriteInt64(buffer, row.Timestamp.UtcTicks);
        foreach (var value in (string?[])[
                     row.RequestId, row.Action, row.Decision, row.Reason, row.Principal, row.CallerAccessKeyId, row.Resource,
                     row.DecidingStatement, row.IssuedAccessKeyId, row.SourceIdentity, row.SourceIp, row.UserAgent, row.ErrorCode, row.Message, row.Before, row.After])
        {
            WriteString(buffer, value);
        }

        return buffer.ToArray();
    }

    private static void WriteString(MemoryStream buffer, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            buffer.Write(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    private static void WriteInt64(MemoryStream buffer, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        buffer.Write(bytes);
    }
}
