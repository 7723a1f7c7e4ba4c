using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FederationProfiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DownloadLinks",
                columns: table => new
                {
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProfileId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OwnerIssuedTo = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FederatedUserName = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConsumedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DownloadLinks", x => x.TokenHash);
                });

            migrationBuilder.CreateTable(
                name: "FederationProfiles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PolicyTemplate = table.Column<string>(type: "TEXT", maxLength: 10240, nullable: false),
                    DurationSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    AllowedGroups = table.Column<string>(type: "TEXT", maxLength: 10240, nullable: false),
                    AllowedPeople = table.Column<string>(type: "TEXT", maxLength: 10240, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FederationProfiles", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DownloadLinks_ExpiresAt",
                table: "DownloadLinks",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_FederationProfiles_Name",
                table: "FederationProfiles",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DownloadLinks");

            migrationBuilder.DropTable(
                name: "FederationProfiles");
        }
    }
}
