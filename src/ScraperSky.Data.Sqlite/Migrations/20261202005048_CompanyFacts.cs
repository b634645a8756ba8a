using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScraperSky.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CompanyFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "company_name",
                table: "domains",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "country",
                table: "domains",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "language_source",
                table: "domains",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "managing_directors",
                table: "domains",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "personal_emails",
                table: "domains",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "role_emails",
                table: "domains",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "vat_id",
                table: "domains",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "company_name",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "country",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "language_source",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "managing_directors",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "personal_emails",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "role_emails",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "vat_id",
                table: "domains");
        }
    }
}
