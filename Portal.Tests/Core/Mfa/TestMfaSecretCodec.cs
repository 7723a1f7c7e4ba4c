using Portal.Core.Mfa;

namespace Portal.Tests.Core.Mfa;

/// <summary>Test-only codec: a marker byte plus the secret XOR-ed with 0x5A, so stored bytes are never the plaintext.</summary>
internal sealed class TestMfaSecretCodec : IMfaSecretCodec
{
    internal const byte Marker = 0xC0;
    private const byte Mask = 0x5A;
    private int _unprotectCalls;

    public int UnprotectCalls => Volatile.Read(ref _unprotectCalls);

    public bool FailUnprotect { get; set; }

    public byte[] Protect(byte[] secret) => [Marker, .. secret.Select(b => (byte)(b ^ Mask))];

    public bool TryUnprotect(byte[] stored, out byte[] secret)
    {
        Interlocked.Increment(ref _unprotectCalls);
        if (FailUnprotect || stored.Length < 2 || stored[0] != Marker)
        {
            secret = [];
            return false;
        }

        secret = [.. stored.Skip(1).Select(b => (byte)(b ^ Mask))];
        return true;
    }
}
