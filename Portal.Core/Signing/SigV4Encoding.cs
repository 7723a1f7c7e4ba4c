using System.Buffers;
using System.Text;

namespace Portal.Core.Signing;

/// <summary>RFC 3986 percent-encoding as SigV4 uses it: only unreserved characters stay literal, hex upper-case.</summary>
internal static class SigV4Encoding
{
    private const string UpperHex = "0123456789ABCDEF";

    public static bool IsUnreserved(int b) =>
        b is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~';

    /// <summary>Appends <paramref name="bytes"/> percent-encoded; <paramref name="keepSlash"/> for paths.</summary>
    public static void AppendEncoded(StringBuilder builder, ReadOnlySpan<byte> bytes, bool keepSlash)
    {
        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (keepSlash && b == '/'))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(UpperHex[b >> 4]).Append(UpperHex[b & 0xF]);
            }
        }
    }

    /// <summary>Encodes a string's UTF-8 bytes.</summary>
    public static string Encode(string value, bool keepSlash)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, rented);
            var builder = new StringBuilder(length * 3);
            AppendEncoded(builder, rented.AsSpan(0, length), keepSlash);
            return builder.ToString();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Percent-decodes a raw query component into bytes: <c>%XY</c> to a byte, <c>+</c> to a space (the
    /// form-urlencoded reading the query dispatcher also uses, so the signature covers what is dispatched),
    /// other characters to their UTF-8 bytes. Returns the byte count, or -1 for a malformed escape.
    /// </summary>
    public static int DecodeComponent(ReadOnlySpan<char> raw, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length)
                {
                    return -1;
                }

                var hi = HexValue(raw[i + 1]);
                var lo = HexValue(raw[i + 2]);
                if (hi < 0 || lo < 0)
                {
                    return -1;
                }

                destination[written++] = (byte)((hi << 4) | lo);
                i += 2;
            }
            else if (c == '+')
            {
                destination[written++] = (byte)' ';
            }
            else if (c < 0x80)
            {
                destination[written++] = (byte)c;
            }
            else
            {
                // Non-ASCII on the wire (not valid in a URI, but seen from hand-built clients): its UTF-8 bytes,
                // the same bytes a client encoding it would have signed. Lone surrogates become U+FFFD.
                Rune.DecodeFromUtf16(raw[i..], out var rune, out var consumed);
                written += rune.EncodeToUtf8(destination[written..]);
                i += consumed - 1;
            }
        }

        return written;
    }

    /// <summary>The largest byte count <see cref="DecodeComponent"/> can produce for a raw component.</summary>
    public static int MaxDecodedLength(int rawLength) => rawLength * 3;

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
