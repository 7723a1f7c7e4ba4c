using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<AccountEntity>
{
    public void Configure(EntityTypeBuilder<AccountEntity> builder)
    {
        builder.ToTable("Accounts");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(12);
        builder.Property(e => e.Alias).HasMaxLength(63);
        builder.HasIndex(e => e.Alias).IsUnique();
    }
}
