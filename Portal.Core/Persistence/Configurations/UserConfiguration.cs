using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<UserEntity>
{
    public void Configure(EntityTypeBuilder<UserEntity> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(32);
        builder.Property(e => e.AccountId).HasMaxLength(12);
        builder.Property(e => e.Name).HasMaxLength(64);
        builder.Property(e => e.NormalizedName).HasMaxLength(64);
        builder.Property(e => e.Path).HasMaxLength(512);
        builder.Property(e => e.Arn).HasMaxLength(2048);
        builder.HasIndex(e => new { e.AccountId, e.NormalizedName }).IsUnique();
        builder.HasIndex(e => e.Arn).IsUnique();
        builder.HasOne<AccountEntity>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}
