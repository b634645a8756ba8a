using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScraperSky.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tenants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenants", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    key_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_keys_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "batch_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    total_jobs = table.Column<int>(type: "INTEGER", nullable: false),
                    completed_jobs = table.Column<int>(type: "INTEGER", nullable: false),
                    failed_jobs = table.Column<int>(type: "INTEGER", nullable: false),
                    options = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    completed_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_batch_jobs", x => x.id);
                    table.ForeignKey(
                        name: "fk_batch_jobs_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "domains",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    language = table.Column<string>(type: "TEXT", nullable: true),
                    favicon_url = table.Column<string>(type: "TEXT", nullable: true),
                    logo_url = table.Column<string>(type: "TEXT", nullable: true),
                    is_wordpress = table.Column<bool>(type: "INTEGER", nullable: false),
                    wordpress_version = table.Column<string>(type: "TEXT", nullable: true),
                    has_elementor = table.Column<bool>(type: "INTEGER", nullable: false),
                    email_addresses = table.Column<string>(type: "TEXT", nullable: false),
                    phone_numbers = table.Column<string>(type: "TEXT", nullable: false),
                    facebook_url = table.Column<string>(type: "TEXT", nullable: true),
                    twitter_url = table.Column<string>(type: "TEXT", nullable: true),
                    linkedin_url = table.Column<string>(type: "TEXT", nullable: true),
                    instagram_url = table.Column<string>(type: "TEXT", nullable: true),
                    youtube_url = table.Column<string>(type: "TEXT", nullable: true),
                    tech_stack = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    first_scan_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_scan_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    scan_count = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_domains", x => x.id);
                    table.ForeignKey(
                        name: "fk_domains_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

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
                name: "jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    domain = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    batch_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    progress_step = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    progress_message = table.Column<string>(type: "TEXT", nullable: true),
                    options = table.Column<string>(type: "TEXT", nullable: true),
                    result = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    max_attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    next_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    completed_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_jobs", x => x.id);
                    table.ForeignKey(
                        name: "fk_jobs_batch_jobs_batch_id",
                        column: x => x.batch_id,
                        principalTable: "batch_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_jobs_tenants_tenant_id",
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

            migrationBuilder.InsertData(
                table: "tenants",
                columns: new[] { "id", "created_at", "name" },
                values: new object[] { new Guid("550e8400-e29b-41d4-a716-446655440000"), new DateTime(2025, 1, 1, 0, 0, 0, 0, DateTimeKind.Utc), "default" });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_tenant_id",
                table: "api_keys",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_batch_jobs_tenant_id_created_at",
                table: "batch_jobs",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_domains_tenant_id_name",
                table: "domains",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_batch_id",
                table: "jobs",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_status_next_attempt_at",
                table: "jobs",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_tenant_id_created_at",
                table: "jobs",
                columns: new[] { "tenant_id", "created_at" });

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
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "domains");

            migrationBuilder.DropTable(
                name: "jobs");

            migrationBuilder.DropTable(
                name: "sitemap_urls");

            migrationBuilder.DropTable(
                name: "batch_jobs");

            migrationBuilder.DropTable(
                name: "sitemap_files");

            migrationBuilder.DropTable(
                name: "tenants");
        }
    }
}
