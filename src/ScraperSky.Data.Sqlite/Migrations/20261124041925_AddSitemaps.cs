using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScraperSky.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AddSitemaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "sitemap_files",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    discovery = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    gzipped = table.Column<bool>(type: "INTEGER", nullable: false),
                    url_count = table.Column<int>(type: "INTEGER", nullable: false),
                    http_status = table.Column<int>(type: "INTEGER", nullable: true),
                    fetch_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    truncated = table.Column<bool>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    collected_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sitemap_files", x => x.id);
                    table.ForeignKey(
                        name: "fk_sitemap_files_sitemap_files_parent_id",
                        column: x => x.parent_id,
                        principalTable: "sitemap_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_sitemap_files_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sitemap_urls",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    file_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    loc = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    lastmod = table.Column<DateTime>(type: "TEXT", nullable: true),
                    change_freq = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    priority = table.Column<double>(type: "REAL", nullable: true),
                    image_count = table.Column<int>(type: "INTEGER", nullable: false),
                    video_count = table.Column<int>(type: "INTEGER", nullable: false),
                    news_count = table.Column<int>(type: "INTEGER", nullable: false),
                    alternate_count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sitemap_urls", x => x.id);
                    table.ForeignKey(
                        name: "fk_sitemap_urls_sitemap_files_file_id",
                        column: x => x.file_id,
                        principalTable: "sitemap_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_sitemap_files_parent_id",
                table: "sitemap_files",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_sitemap_files_tenant_id_domain_collected_at",
                table: "sitemap_files",
                columns: new[] { "tenant_id", "domain", "collected_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sitemap_urls_file_id",
                table: "sitemap_urls",
                column: "file_id");

            migrationBuilder.CreateIndex(
                name: "ix_sitemap_urls_tenant_id_domain_loc",
                table: "sitemap_urls",
                columns: new[] { "tenant_id", "domain", "loc" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sitemap_urls");

            migrationBuilder.DropTable(
                name: "sitemap_files");
        }
    }
}
