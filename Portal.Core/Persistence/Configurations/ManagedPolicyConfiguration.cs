using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class ManagedPolicyConfiguration : IEntityTypeConfiguration<ManagedPolicyEntity>
{
    public void Configure(EntityTypeBuilder<ManagedPolicyEntity> builder)
    {
        builder.ToTable("ManagedPolicies");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(32);
        builder.Property(e => e.AccountId).HasMaxLength(12);
        builder.Property(e => e.Name).HasMaxLength(128);
        builder.Property(e => e.Path).HasMaxLength(512);
        builder.Property(e => e.Arn).HasMaxLength(2048);
        builder.Property(e => e.Description).HasMaxLength(1000);
        builder.HasIndex(e => e.Arn).IsUnique();
        builder.HasOne<AccountEntity>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
