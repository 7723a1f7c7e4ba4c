using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class MfaRecoveryCodeConfiguration : IEntityTypeConfiguration<MfaRecoveryCodeEntity>
{
    public void Configure(EntityTypeBuilder<MfaRecoveryCodeEntity> builder)
    {
        builder.ToTable("MfaRecoveryCodes");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.SerialNumber).HasMaxLength(256);
        builder.Property(e => e.Salt).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => e.SerialNumber);

        // Deleting a device (ExecuteDelete) relies on the database cascade, not on the change tracker.
        builder.HasOne<MfaDeviceEntity>().WithMany().HasForeignKey(e => e.SerialNumber).OnDelete(DeleteBehavior.Cascade);
    }
}
