using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class PolicyAttachmentConfiguration : IEntityTypeConfiguration<PolicyAttachmentEntity>
{
    public void Configure(EntityTypeBuilder<PolicyAttachmentEntity> builder)
    {
        builder.ToTable("PolicyAttachments");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.OwnerId).HasMaxLength(32);
        builder.Property(e => e.PolicyArn).HasMaxLength(2048);
        builder.HasIndex(e => new { e.OwnerId, e.PolicyArn }).IsUnique();
        builder.HasIndex(e => e.PolicyArn);
    }
}
