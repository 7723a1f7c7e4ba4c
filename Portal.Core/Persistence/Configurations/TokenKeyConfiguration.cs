using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class TokenKeyConfiguration : IEntityTypeConfiguration<TokenKeyEntity>
{
    public void Configure(EntityTypeBuilder<TokenKeyEntity> builder)
    {
        builder.ToTable("TokenKeys");
        builder.HasKey(e => e.KeyId);
        builder.Property(e => e.KeyId).HasMaxLength(32);
    }
}
