using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class FederationProfileConfiguration : IEntityTypeConfiguration<FederationProfileEntity>
{
    public void Configure(EntityTypeBuilder<FederationProfileEntity> builder)
    {
        builder.ToTable("FederationProfiles");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(64);
        builder.Property(e => e.Name).HasMaxLength(128);
        builder.Property(e => e.Description).HasMaxLength(1000);
        builder.Property(e => e.AccountId).HasMaxLength(12);
        builder.Property(e => e.UserId).HasMaxLength(128);
        builder.Property(e => e.PolicyTemplate).HasMaxLength(10240);
        builder.Property(e => e.AllowedGroups).HasMaxLength(10240);
        builder.Property(e => e.AllowedPeople).HasMaxLength(10240);
        builder.HasIndex(e => e.Name).IsUnique();
    }
}
