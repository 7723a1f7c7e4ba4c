using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class ReplayEntryConfiguration : IEntityTypeConfiguration<ReplayEntryEntity>
{
    public void Configure(EntityTypeBuilder<ReplayEntryEntity> builder)
    {
        builder.ToTable("ReplayEntries");
        builder.HasKey(e => e.Key);
        builder.Property(e => e.Key).HasMaxLength(512);
        builder.HasIndex(e => e.ExpiresAt);
    }
}
