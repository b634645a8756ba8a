using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ScraperSky.Data.Postgres.Migrations
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
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    discovery = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    bytes = table.Column<long>(type: "bigint", nullable: false),
                    gzipped = table.Column<bool>(type: "boolean", nullable: false),
                    url_count = table.Column<int>(type: "integer", nullable: false),
                    http_status = table.Column<int>(type: "integer", nullable: true),
                    fetch_ms = table.Column<long>(type: "bigint", nullable: false),
                    truncated = table.Column<bool>(type: "boolean", nullable: false),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    collected_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    file_id = table.Column<Guid>(type: "uuid", nullable: false),
                    loc = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    lastmod = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    change_freq = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    priority = table.Column<double>(type: "double precision", nullable: true),
                    image_count = table.Column<int>(type: "integer", nullable: false),
                    video_count = table.Column<int>(type: "integer", nullable: false),
                    news_count = table.Column<int>(type: "integer", nullable: false),
                    alternate_count = table.Column<int>(type: "integer", nullable: false)
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
