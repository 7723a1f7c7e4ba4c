using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Configurations;

internal sealed class MfaDeviceConfiguration : IEntityTypeConfiguration<MfaDeviceEntity>
{
    public void Configure(EntityTypeBuilder<MfaDeviceEntity> builder)
    {
        builder.ToTable("MfaDevices");
        builder.HasKey(e => e.SerialNumber);
        builder.Property(e => e.SerialNumber).HasMaxLength(256);
        builder.Property(e => e.AccountId).HasMaxLength(12);
        builder.Property(e => e.Path).HasMaxLength(512);
        builder.Property(e => e.DeviceName).HasMaxLength(128);
        builder.Property(e => e.UserId).HasMaxLength(32);
        builder.HasIndex(e => e.UserId);
    }
}
