namespace Portal.Core.Credentials;

/// <summary>Encrypts secrets at rest (long-term secret access keys, TOTP seeds).</summary>
public interface ISecretProtector
{
    /// <summary>Encrypts <paramref name="plaintext"/>; the result is safe to store.</summary>
    byte[] Protect(ReadOnlySpan<byte> plaintext);

    /// <summary>Encrypts the UTF-8 bytes of <paramref name="plaintext"/>.</summary>
    byte[] Protect(string plaintext);

    /// <summary>Decrypts a value from <see cref="Protect(ReadOnlySpan{byte})"/>; a failed result if it was altered.</summary>
    Unprotected<byte[]> Unprotect(ReadOnlySpan<byte> protectedData);

    /// <summary>Decrypts a value from <see cref="Protect(string)"/>; a failed result if it was altered or is not UTF-8.</summary>
    Unprotected<string> UnprotectString(ReadOnlySpan<byte> protectedData);
}

/// <summary>The outcome of an unprotect operation: the plaintext, or a failure that does not say why.</summary>
/// <typeparam name="T">The plaintext type.</typeparam>
public readonly record struct Unprotected<T>
    where T : class
{
    private Unprotected(T? value) => Value = value;

    /// <summary>The plaintext, when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>True when the data authenticated and decrypted.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Value))]
    public bool Succeeded => Value is not null;

    /// <summary>A successful outcome.</summary>
    public static Unprotected<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The failed outcome.</summary>
    public static Unprotected<T> Failure { get; }

    /// <summary>States success or failure only, so a logged result never prints the plaintext.</summary>
    public override string ToString() => Succeeded ? "Unprotected { Succeeded = True }" : "Unprotected { Succeeded = False }";
}
