using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class InlinePolicyConfiguration : IEntityTypeConfiguration<InlinePolicyEntity>
{
    public void Configure(EntityTypeBuilder<InlinePolicyEntity> builder)
    {
        builder.ToTable("InlinePolicies");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.OwnerId).HasMaxLength(32);
        builder.Property(e => e.Name).HasMaxLength(128);
        builder.HasIndex(e => new { e.OwnerId, e.Name }).IsUnique();
    }
}
