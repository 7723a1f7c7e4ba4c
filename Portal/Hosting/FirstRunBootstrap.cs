using Microsoft.Extensions.Options;
using Portal.Core.Iam;
using Portal.Core.Identity;

namespace Portal.Hosting;

/// <summary>
/// Creates the default account and its root access key when the database has no account yet. Configured values are
/// used as given; generated ones are printed once to the console (never logged), as the operator's only copy.
/// </summary>
public sealed class FirstRunBootstrap
{
    private readonly IamDirectory _directory;
    private readonly BootstrapOptions _options;
    private readonly TextWriter _console;

    /// <summary>Creates the bootstrapper; <paramref name="console"/> defaults to standard output.</summary>
    public FirstRunBootstrap(IamDirectory directory, IOptions<BootstrapOptions> options, TextWriter? console = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _options = options.Value;
        _console = console ?? Console.Out;
    }

    /// <summary>Runs the bootstrap if needed; returns true when it created the default account.</summary>
    public async Task<bool> RunAsync(CancellationToken ct = default)
    {
        if ((await _directory.ListAccountsAsync(ct).ConfigureAwait(false)).Count > 0)
        {
            return false;
        }

        if (_options.RootAccessKeyId is not null && string.IsNullOrEmpty(_options.RootSecretAccessKey))
        {
            throw new InvalidOperationException("Bootstrap:RootSecretAccessKey must be set when Bootstrap:RootAccessKeyId is set.");
        }

        if (_options.AccountId is not null && !AccountId.TryParse(_options.AccountId, out _))
        {
            throw new InvalidOperationException($"Bootstrap:AccountId '{_options.AccountId}' is not a 12-digit account id.");
        }

        var account = await _directory.CreateAccountAsync(_options.AccountId, _options.AccountAlias ?? "default", ct).ConfigureAwait(false);
        if (!account.Succeeded)
        {
            throw new InvalidOperationException("Creating the default account failed: " + account.Error);
        }

        var accountId = AccountId.Parse(account.Value.Id);
        var key = _options.RootAccessKeyId is { } id
            ? await _directory.ImportAccessKeyAsync(accountId, null, id, _options.RootSecretAccessKey!, ct).ConfigureAwait(false)
            : await _directory.CreateAccessKeyAsync(accountId, null, ct).ConfigureAwait(false);
        if (!key.Succeeded)
        {
            throw new InvalidOperationException("Creating the root access key failed: " + key.Error);
        }

        await _console.WriteLineAsync($"Portal first run: created account {accountId} (alias '{account.Value.Alias}').").ConfigureAwait(false);
        if (_options.RootAccessKeyId is null)
        {
            await _console.WriteLineAsync(
                $"""
                The account's root access key, shown this once (store it now; it is not printed again):
                  AWS_ACCESS_KEY_ID={key.Value.Key.AccessKeyId}
                  AWS_SECRET_ACCESS_KEY={key.Value.SecretAccessKey}
                """).ConfigureAwait(false);
        }
        else
        {
            await _console.WriteLineAsync($"The root access key {key.Value.Key.AccessKeyId} was taken from configuration.").ConfigureAwait(false);
        }

        return true;
    }
}
