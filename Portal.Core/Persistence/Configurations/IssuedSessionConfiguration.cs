using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class IssuedSessionConfiguration : IEntityTypeConfiguration<IssuedSessionEntity>
{
    public void Configure(EntityTypeBuilder<IssuedSessionEntity> builder)
    {
        builder.ToTable("IssuedSessions");
        builder.HasKey(e => e.SessionId);
        builder.Property(e => e.SessionId).HasMaxLength(64);
        builder.Property(e => e.AccessKeyId).HasMaxLength(128);
        builder.Property(e => e.AccountId).HasMaxLength(12);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Arn).HasMaxLength(2048);
        builder.Property(e => e.SourcePrincipalArn).HasMaxLength(2048);
        builder.Property(e => e.IssuedTo).HasMaxLength(2048);
        builder.Property(e => e.SourceIdentity).HasMaxLength(64);
        builder.Property(e => e.RequestId).HasMaxLength(64);
        builder.HasIndex(e => e.AccessKeyId);
        builder.HasIndex(e => e.ExpiresAt);
        builder.HasIndex(e => e.IssuedTo);
    }
}
