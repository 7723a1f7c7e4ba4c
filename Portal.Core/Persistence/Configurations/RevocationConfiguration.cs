using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class RevocationConfiguration : IEntityTypeConfiguration<RevocationEntity>
{
    public void Configure(EntityTypeBuilder<RevocationEntity> builder)
    {
        builder.ToTable("Revocations");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Target).HasMaxLength(2048);
        builder.HasIndex(e => e.ExpiresAt);
    }
}
