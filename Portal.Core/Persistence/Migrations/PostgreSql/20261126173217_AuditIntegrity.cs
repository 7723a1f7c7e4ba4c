using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Core.Audit;

#nullable disable

namespace Portal.Core.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AuditIntegrity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "After",
                table: "AuditEvents",
                type: "character varying(16384)",
                maxLength: 16384,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Before",
                table: "AuditEvents",
                type: "character varying(16384)",
                maxLength: 16384,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChainId",
                table: "AuditEvents",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Hash",
                table: "AuditEvents",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "AuditEvents",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ChainId_Sequence",
                table: "AuditEvents",
                columns: new[] { "ChainId", "Sequence" },
                unique: true);

            // SECURITY-CASES 104h (1): after the columns, so adding them is not an UPDATE the triggers would refuse.
            migrationBuilder.Sql(AuditAppendOnly.PostgresCreate);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AuditAppendOnly.PostgresDrop);

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_ChainId_Sequence",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "After",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "Before",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "ChainId",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "Hash",
                table: "AuditEvents");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "AuditEvents");
        }
    }
}
