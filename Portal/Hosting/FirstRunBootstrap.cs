using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Authentication.Local;
using Portal.Core.Iam;
using Portal.Core.Identity;

namespace Portal.Hosting;

/// <summary>
/// Creates the default account, its root access key and the break-glass IAM user <c>admin</c> (console password, an
/// inline policy allowing everything, so also <c>portal:Administer</c>; TOTP is enrolled at its first sign-in) when the
/// database has no account yet. Configured values are used as given; generated ones are printed once to the console
/// (never logged), as the operator's only copy.
/// </summary>
public sealed class FirstRunBootstrap
{
    /// <summary>The bootstrap administrator's user name.</summary>
    public const string AdminUserName = "admin";

    /// <summary>The name of the administrator's inline policy.</summary>
    public const string AdminPolicyName = "PortalAdministrator";

    /// <summary>The administrator's inline policy: everything, including <c>portal:Administer</c>.</summary>
    public const string AdminPolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    // 24 characters from 56 unambiguous letters and digits: about 139 bits.
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private const int GeneratedPasswordLength = 24;
    private const int MinAdminPasswordLength = 12;

    private readonly IamDirectory _directory;
    private readonly ConsolePasswordHasher _hasher;
    private readonly BootstrapOptions _options;
    private readonly TextWriter _console;

    /// <summary>Creates the bootstrapper; <paramref name="console"/> defaults to standard output.</summary>
    public FirstRunBootstrap(IamDirectory directory, ConsolePasswordHasher hasher, IOptions<BootstrapOptions> options, TextWriter? console = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = directory;
        _hasher = hasher;
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

        if (_options.AdminPassword is { Length: < MinAdminPasswordLength })
        {
            throw new InvalidOperationException($"Bootstrap:AdminPassword must be at least {MinAdminPasswordLength} characters.");
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

        await CreateAdministratorAsync(accountId, ct).ConfigureAwait(false);
        return true;
    }

    private async Task CreateAdministratorAsync(AccountId accountId, CancellationToken ct)
    {
        var user = await _directory.CreateUserAsync(accountId, AdminUserName, ct: ct).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            throw new InvalidOperationException("Creating the administrator user failed: " + user.Error);
        }

        var policy = await _directory.PutInlinePolicyAsync(user.Value!.Id, AdminPolicyName, AdminPolicyDocument, ct).ConfigureAwait(false);
        if (!policy.Succeeded)
        {
            throw new InvalidOperationException("Attaching the administrator policy failed: " + policy.Error);
        }

        var password = _options.AdminPassword ?? RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);
        var profile = await _directory.SetLoginProfileAsync(user.Value.Id, _hasher.Hash(password), ct).ConfigureAwait(false);
        if (!profile.Succeeded)
        {
            throw new InvalidOperationException("Setting the administrator password failed: " + profile.Error);
        }

        if (_options.AdminPassword is null)
        {
            await _console.WriteLineAsync(
                $"""
                The break-glass IAM user '{AdminUserName}' ({PortalPrincipalFactory.AdministerAction} allowed) signs in at /account/signin with this password, shown this once;
                it enrols an authenticator (TOTP) at its first sign-in:
                  {password}
                """).ConfigureAwait(false);
        }
        else
        {
            await _console.WriteLineAsync($"The break-glass IAM user '{AdminUserName}' was created with the password from configuration.").ConfigureAwait(false);
        }
    }
}
