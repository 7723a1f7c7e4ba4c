using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Core.Credentials;

/// <summary>Public facts about one token key (never its material).</summary>
/// <param name="KeyId">The id carried in token headers.</param>
/// <param name="CreatedAt">When the key was generated.</param>
/// <param name="ActivatedAt">From when it may sign.</param>
/// <param name="RetiredAt">When it became verify-only, if it has.</param>
public sealed record TokenKeyInfo(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset ActivatedAt, DateTimeOffset? RetiredAt);

/// <summary>
/// The keys that seal session tokens (SECURITY-CASES 94). The newest active key signs; older keys stay
/// verify-only until every token they could have signed has expired, then <see cref="PurgeAsync"/> deletes them.
/// Key material is stored wrapped (AES-GCM under a master-key subkey, key id as associated data), so a copied
/// or altered database row is useless or detected. Each node keeps an immutable snapshot; <see cref="RefreshAsync"/>
/// reloads it, and a token naming an unknown key id triggers at most one rate-limited reload.
/// </summary>
public sealed class TokenKeyRing : IDisposable
{
    /// <summary>Length of a key id (base-32 characters).</summary>
    public const int KeyIdLength = 8;

    /// <summary>Length of a token key in bytes (AES-256).</summary>
    public const int KeyLength = 32;

    internal const string WrapPurpose = "portal/token-key-wrap/v1";
    private const byte WrapVersion = 1;

    private readonly ITokenKeyStore _store;
    private readonly TimeProvider _time;
    private readonly TokenKeyRingOptions _options;
    private readonly ILogger<TokenKeyRing> _logger;
    private readonly Lazy<byte[]> _wrapKey;
    private readonly SemaphoreSlim _unknownKeyGate = new(1, 1);
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private long _lastUnknownKeyReloadTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>Creates a ring over <paramref name="store"/>, wrapping keys under a subkey of <paramref name="masterKey"/>.</summary>
    public TokenKeyRing(
        ITokenKeyStore store,
        IMasterKeySource masterKey,
        TimeProvider time,
        IOptions<TokenKeyRingOptions> options,
        ILogger<TokenKeyRing> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _wrapKey = new Lazy<byte[]>(() => KeyDerivation.DeriveSubkey(masterKey, WrapPurpose));
    }

    /// <summary>The id of the key that signs new tokens, or null before initialization.</summary>
    public string? SigningKeyId => _snapshot.Signing?.KeyId;

    /// <summary>The keys of the current snapshot that unwrapped correctly.</summary>
    public IReadOnlyList<TokenKeyInfo> Keys => [.. _snapshot.Keys.Values.Select(k => k.Info)];

    /// <summary>Ids of stored keys that failed to unwrap at the last load; non-empty means the store was altered.</summary>
    public IReadOnlyList<string> CorruptKeyIds => _snapshot.CorruptKeyIds;

    /// <summary>
    /// Loads the ring and creates the first key when there is no signing key. Two nodes racing here both insert;
    /// after reloading they pick the same signing key (newest activation, then highest key id) and both keys verify.
    /// </summary>
    /// <exception cref="InvalidOperationException">A stored key failed to unwrap (SECURITY-CASES 94d).</exception>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        var snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfCorrupt(snapshot);
        if (snapshot.Signing is not null)
        {
            return;
        }

        await AddNewKeyAsync(cancellationToken).ConfigureAwait(false);
        snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfCorrupt(snapshot);
        if (snapshot.Signing is null)
        {
            throw new InvalidOperationException("The token key store accepted no signing key; check the ITokenKeyStore implementation.");
        }
    }

    /// <summary>Creates a new signing key and retires every earlier key to verify-only. Returns the new key id.</summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        var previous = await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var added = await AddNewKeyAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Could not insert a new token key (key id conflict).");

        var now = _time.GetUtcNow();
        foreach (var key in previous.Where(k => k.RetiredAt is null))
        {
            await _store.UpdateRetiredAtAsync(key.KeyId, now, cancellationToken).ConfigureAwait(false);
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return added.KeyId;
    }

    /// <summary>Deletes keys retired at least <see cref="TokenKeyRingOptions.MaxTokenLifetime"/> ago. Returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - _options.MaxTokenLifetime;
        var purged = 0;
        foreach (var key in await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (key.RetiredAt is { } retiredAt && retiredAt <= cutoff)
            {
                await _store.DeleteAsync(key.KeyId, cancellationToken).ConfigureAwait(false);
                purged++;
            }
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    /// <summary>Reloads the ring from the store (learns rotations and purges done by other nodes).</summary>
    /// <exception cref="InvalidOperationException">A stored key failed to unwrap (SECURITY-CASES 94d).</exception>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        ThrowIfCorrupt(await LoadAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public void Dispose() => _unknownKeyGate.Dispose();

    internal TokenKey SigningKey => _snapshot.Signing
        ?? throw new InvalidOperationException("The token key ring has no signing key; call EnsureInitializedAsync at startup.");

    internal bool TryGetKey(ReadOnlySpan<byte> keyId, out TokenKey key)
    {
        var lookup = _snapshot.Keys.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> chars = stackalloc char[KeyIdLength];
        key = null!;
        return keyId.Length == KeyIdLength
            && Encoding.ASCII.TryGetChars(keyId, chars, out var written)
            && written == KeyIdLength
            && lookup.TryGetValue(chars, out key!);
    }

    /// <summary>
    /// Called when a token names a key id this node does not know: reloads at most once per
    /// <see cref="TokenKeyRingOptions.UnknownKeyReloadInterval"/>, so a rotation done by another node is learnt.
    /// </summary>
    internal async Task ReloadForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        if (!UnknownKeyReloadDue(_time.GetUtcNow()))
        {
            return;
        }

        await _unknownKeyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (!UnknownKeyReloadDue(now))
            {
                return;
            }

            Volatile.Write(ref _lastUnknownKeyReloadTicks, now.UtcTicks);
            var snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
            if (snapshot.CorruptKeyIds.Count > 0)
            {
                // Request path: reject the token rather than fail the request, but keep it loud.
                _logger.LogError("Token keys failed to unwrap and are ignored: {KeyIds}", string.Join(", ", snapshot.CorruptKeyIds));
            }
        }
        finally
        {
            _unknownKeyGate.Release();
        }
    }

    private bool UnknownKeyReloadDue(DateTimeOffset now) =>
        now.UtcTicks - Volatile.Read(ref _lastUnknownKeyReloadTicks) >= _options.UnknownKeyReloadInterval.Ticks;

    private async Task<TokenKeyRecord?> AddNewKeyAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var keyId = Base32.Random(KeyIdLength);
        var material = RandomNumberGenerator.GetBytes(KeyLength);
        try
        {
            var record = new TokenKeyRecord(keyId, Wrap(keyId, material), now, now, RetiredAt: null);
            return await _store.TryAddAsync(record, cancellationToken).ConfigureAwait(false) ? record : null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    private byte[] Wrap(string keyId, byte[] material) =>
        KeyDerivation.Seal(_wrapKey.Value, WrapPurpose, WrapVersion, Encoding.ASCII.GetBytes(keyId), material);

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var records = await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<string, TokenKey>(StringComparer.Ordinal);
        var corrupt = new List<string>();
        foreach (var record in records)
        {
            if (record.KeyId.Length == KeyIdLength
                && Base32.IsBase32(record.KeyId)
                && KeyDerivation.TryOpen(_wrapKey.Value, WrapPurpose, WrapVersion, Encoding.ASCII.GetBytes(record.KeyId), record.WrappedKey, out var material)
                && material.Length == KeyLength)
            {
                keys[record.KeyId] = new TokenKey(record.KeyId, material, new TokenKeyInfo(record.KeyId, record.CreatedAt, record.ActivatedAt, record.RetiredAt));
            }
            else
            {
                corrupt.Add(record.KeyId);
            }
        }

        var now = _time.GetUtcNow();
        var signing = keys.Values
            .Where(k => k.Info.RetiredAt is null && k.Info.ActivatedAt <= now)
            .OrderByDescending(k => k.Info.ActivatedAt)
            .ThenByDescending(k => k.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();
        var snapshot = new Snapshot(keys, signing, corrupt);
        _snapshot = snapshot;
        return snapshot;
    }

    private static void ThrowIfCorrupt(Snapshot snapshot)
    {
        if (snapshot.CorruptKeyIds.Count > 0)
        {
            // SECURITY-CASES 94d: an altered key row must stop the node loudly, not be skipped silently.
            throw new InvalidOperationException(
                $"Token key(s) {string.Join(", ", snapshot.CorruptKeyIds)} failed to unwrap: the key store was altered or the master key changed.");
        }
    }

    private sealed record Snapshot(Dictionary<string, TokenKey> Keys, TokenKey? Signing, IReadOnlyList<string> CorruptKeyIds)
    {
        public static readonly Snapshot Empty = new(new Dictionary<string, TokenKey>(StringComparer.Ordinal), null, []);
    }
}

/// <summary>One unwrapped token key held in memory.</summary>
internal sealed record TokenKey(string KeyId, byte[] Material, TokenKeyInfo Info);
