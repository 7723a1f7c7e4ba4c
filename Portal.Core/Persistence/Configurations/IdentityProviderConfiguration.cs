using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class IdentityProviderConfiguration : IEntityTypeConfiguration<IdentityProviderEntity>
{
    public void Configure(EntityTypeBuilder<IdentityProviderEntity> builder)
    {
        builder.ToTable("IdentityProviders");
        builder.HasKey(e => e.Arn);
        builder.Property(e => e.Arn).HasMaxLength(2048);
        builder.Property(e => e.AccountId).HasMaxLength(12);
        builder.Property(e => e.Kind).HasMaxLength(8);
        builder.Property(e => e.Name).HasMaxLength(2048);
        builder.HasIndex(e => e.AccountId);
        builder.HasOne<AccountEntity>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
