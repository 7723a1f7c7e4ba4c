using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class AccessKeyConfiguration : IEntityTypeConfiguration<AccessKeyEntity>
{
    public void Configure(EntityTypeBuilder<AccessKeyEntity> builder)
    {
        builder.ToTable("AccessKeys");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(128);
        builder.Property(e => e.AccountId).HasMaxLength(12);
        builder.Property(e => e.UserId).HasMaxLength(32);
        builder.HasIndex(e => e.UserId);
        builder.HasOne<UserEntity>().WithMany().HasForeignKey(e => e.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
