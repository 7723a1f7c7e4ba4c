namespace Portal.Core.Credentials;

/// <summary>Supplies the deployment's 32-byte master key, from which every at-rest protection key is derived.</summary>
public interface IMasterKeySource
{
    /// <summary>The 32-byte master key.</summary>
    /// <exception cref="InvalidOperationException">The configured key is invalid or cannot be read.</exception>
    ReadOnlyMemory<byte> GetMasterKey();
}
