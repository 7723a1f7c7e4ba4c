using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEventEntity>
{
    public void Configure(EntityTypeBuilder<AuditEventEntity> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.RequestId).HasMaxLength(64);
        builder.Property(e => e.Action).HasMaxLength(128);
        builder.Property(e => e.Decision).HasMaxLength(16);
        builder.Property(e => e.Reason).HasMaxLength(128);
        builder.Property(e => e.Principal).HasMaxLength(2048);
        builder.Property(e => e.CallerAccessKeyId).HasMaxLength(128);
        builder.Property(e => e.Resource).HasMaxLength(2048);
        builder.Property(e => e.DecidingStatement).HasMaxLength(2048);
        builder.Property(e => e.IssuedAccessKeyId).HasMaxLength(128);
        builder.Property(e => e.SourceIdentity).HasMaxLength(64);
        builder.Property(e => e.SourceIp).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(512);
        builder.Property(e => e.ErrorCode).HasMaxLength(64);
        builder.Property(e => e.Message).HasMaxLength(4096);
        builder.Property(e => e.Before).HasMaxLength(AuditEventMaxLengths.BeforeAfter);
        builder.Property(e => e.After).HasMaxLength(AuditEventMaxLengths.BeforeAfter);
        builder.Property(e => e.ChainId).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);

        // One row per chain position: two writers that read the same chain head cannot both append (the loser retries).
        builder.HasIndex(e => new { e.ChainId, e.Sequence }).IsUnique();
        builder.HasIndex(e => e.Timestamp);
        builder.HasIndex(e => e.IssuedAccessKeyId);
        builder.HasIndex(e => e.Principal);
    }
}

/// <summary>Column lengths the writer truncates to.</summary>
internal static class AuditEventMaxLengths
{
    /// <summary>Before/after values: room for the largest IAM trust policy (4096 characters) or provider settings.</summary>
    public const int BeforeAfter = 16384;
}
