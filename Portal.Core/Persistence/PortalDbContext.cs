using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence;

/// <summary>
/// The engine's unit of work. Created per operation through <see cref="IDbContextFactory{TContext}"/>, never held by a
/// component or a circuit. Each database provider has a subclass that owns its migrations.
/// </summary>
public abstract class PortalDbContext : DbContext
{
    /// <summary>Creates the context with provider-specific options.</summary>
    protected PortalDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>Accounts.</summary>
    public DbSet<AccountEntity> Accounts => Set<AccountEntity>();

    /// <summary>IAM users.</summary>
    public DbSet<UserEntity> Users => Set<UserEntity>();

    /// <summary>Long-term access keys.</summary>
    public DbSet<AccessKeyEntity> AccessKeys => Set<AccessKeyEntity>();

    /// <summary>Roles.</summary>
    public DbSet<RoleEntity> Roles => Set<RoleEntity>();

    /// <summary>Inline policies of users and roles.</summary>
    public DbSet<InlinePolicyEntity> InlinePolicies => Set<InlinePolicyEntity>();

    /// <summary>Customer-managed policies.</summary>
    public DbSet<ManagedPolicyEntity> ManagedPolicies => Set<ManagedPolicyEntity>();

    /// <summary>Managed-policy attachments.</summary>
    public DbSet<PolicyAttachmentEntity> PolicyAttachments => Set<PolicyAttachmentEntity>();

    /// <summary>SAML and OIDC providers.</summary>
    public DbSet<IdentityProviderEntity> IdentityProviders => Set<IdentityProviderEntity>();

    /// <summary>Virtual MFA devices.</summary>
    public DbSet<MfaDeviceEntity> MfaDevices => Set<MfaDeviceEntity>();

    /// <summary>Hashed recovery codes of MFA devices.</summary>
    public DbSet<MfaRecoveryCodeEntity> MfaRecoveryCodes => Set<MfaRecoveryCodeEntity>();

    /// <summary>Session-token sealing keys.</summary>
    public DbSet<TokenKeyEntity> TokenKeys => Set<TokenKeyEntity>();

    /// <summary>Revocations.</summary>
    public DbSet<RevocationEntity> Revocations => Set<RevocationEntity>();

    /// <summary>Issued temporary credentials (metadata only).</summary>
    public DbSet<IssuedSessionEntity> IssuedSessions => Set<IssuedSessionEntity>();

    /// <summary>Audit events.</summary>
    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();

    /// <summary>One-time-use markers.</summary>
    public DbSet<ReplayEntryEntity> ReplayEntries => Set<ReplayEntryEntity>();

    /// <summary>Customer-download (GetFederationToken) profiles.</summary>
    public DbSet<FederationProfileEntity> FederationProfiles => Set<FederationProfileEntity>();

    /// <summary>Single-use customer-download links (hashed tokens).</summary>
    public DbSet<DownloadLinkEntity> DownloadLinks => Set<DownloadLinkEntity>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }
}
