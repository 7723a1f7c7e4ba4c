using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class DownloadLinkConfiguration : IEntityTypeConfiguration<DownloadLinkEntity>
{
    public void Configure(EntityTypeBuilder<DownloadLinkEntity> builder)
    {
        builder.ToTable("DownloadLinks");
        builder.HasKey(e => e.TokenHash);
        builder.Property(e => e.TokenHash).HasMaxLength(64);
        builder.Property(e => e.ProfileId).HasMaxLength(64);
        builder.Property(e => e.OwnerIssuedTo).HasMaxLength(2048);
        builder.Property(e => e.Format).HasMaxLength(32);
        builder.Property(e => e.FederatedUserName).HasMaxLength(32);
        builder.HasIndex(e => e.ExpiresAt);
    }
}
