using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ScraperSky.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ResultsHome : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_batch_id",
                table: "jobs");





            migrationBuilder.AddColumn<long>(
                name: "end_sequence",
                table: "jobs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "final_url",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "last_completed_at",
                table: "domains",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "last_job_id",
                table: "domains",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "last_scan_id",
                table: "domains",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sitemap_url_count",
                table: "domains",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "cancelled_at",
                table: "batch_jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "cancelled_jobs",
                table: "batch_jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "columns",
                table: "batch_jobs",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "domain_column",
                table: "batch_jobs",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "end_sequence",
                table: "batch_jobs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "file_name",
                table: "batch_jobs",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "batch_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: false),
                    row = table.Column<int>(type: "integer", nullable: false),
                    input = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    cells = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_batch_entries", x => x.id);
                    table.ForeignKey(
                        name: "fk_batch_entries_batch_jobs_batch_id",
                        column: x => x.batch_id,
                        principalTable: "batch_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_batch_entries_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "domain_scans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    batch_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    scanned_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    result = table.Column<string>(type: "jsonb", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_domain_scans", x => x.id);
                    table.ForeignKey(
                        name: "fk_domain_scans_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_jobs_batch_id_end_sequence",
                table: "jobs",
                columns: new[] { "batch_id", "end_sequence" });

            migrationBuilder.CreateIndex(
                name: "ix_domains_tenant_id_last_scan_at",
                table: "domains",
                columns: new[] { "tenant_id", "last_scan_at" });

            migrationBuilder.CreateIndex(
                name: "ix_batch_entries_batch_id_row",
                table: "batch_entries",
                columns: new[] { "batch_id", "row" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_batch_entries_job_id",
                table: "batch_entries",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "ix_domain_scans_job_id",
                table: "domain_scans",
                column: "job_id");

            migrationBuilder.CreateIndex(
                name: "ix_domain_scans_tenant_id_domain_scanned_at",
                table: "domain_scans",
                columns: new[] { "tenant_id", "domain", "scanned_at" });

            migrationBuilder.AddColumn<List<string>>(
                name: "emails",
                table: "domains",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "phones",
                table: "domains",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "technologies",
                table: "domains",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "technology_names",
                table: "domains",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<List<string>>(
                name: "technology_categories",
                table: "domains",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<string>(
                name: "tiktok_url",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pinterest_url",
                table: "domains",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_status",
                table: "domains",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "completed");

            // Results move to their one home before the columns that held them go.
            migrationBuilder.Sql(MoveResults);

            migrationBuilder.DropColumn(
                name: "email_addresses",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "metadata",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "phone_numbers",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "tech_stack",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "result",
                table: "jobs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The results stay in domain_scans; going back restores the old columns empty.
            migrationBuilder.AddColumn<string>(name: "result", table: "jobs", type: "jsonb", nullable: true);
            migrationBuilder.AddColumn<string>(name: "metadata", table: "domains", type: "jsonb", nullable: true);
            migrationBuilder.AddColumn<string>(name: "tech_stack", table: "domains", type: "jsonb", nullable: true);
            migrationBuilder.AddColumn<List<string>>(name: "email_addresses", table: "domains", type: "text[]", nullable: false, defaultValueSql: "'{}'::text[]");
            migrationBuilder.AddColumn<List<string>>(name: "phone_numbers", table: "domains", type: "text[]", nullable: false, defaultValueSql: "'{}'::text[]");

            migrationBuilder.DropColumn(name: "emails", table: "domains");
            migrationBuilder.DropColumn(name: "phones", table: "domains");
            migrationBuilder.DropColumn(name: "technologies", table: "domains");
            migrationBuilder.DropColumn(name: "technology_names", table: "domains");
            migrationBuilder.DropColumn(name: "technology_categories", table: "domains");
            migrationBuilder.DropColumn(name: "tiktok_url", table: "domains");
            migrationBuilder.DropColumn(name: "pinterest_url", table: "domains");

            migrationBuilder.DropTable(
                name: "batch_entries");

            migrationBuilder.DropTable(
                name: "domain_scans");

            migrationBuilder.DropIndex(
                name: "ix_jobs_batch_id_end_sequence",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_domains_tenant_id_last_scan_at",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "end_sequence",
                table: "jobs");


            migrationBuilder.DropColumn(
                name: "final_url",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "last_completed_at",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "last_error",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "last_job_id",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "last_scan_id",
                table: "domains");

            migrationBuilder.DropColumn(
                name: "last_status",
                table: "domains");



            migrationBuilder.DropColumn(
                name: "sitemap_url_count",
                table: "domains");



            migrationBuilder.DropColumn(
                name: "cancelled_at",
                table: "batch_jobs");

            migrationBuilder.DropColumn(
                name: "cancelled_jobs",
                table: "batch_jobs");

            migrationBuilder.DropColumn(
                name: "columns",
                table: "batch_jobs");

            migrationBuilder.DropColumn(
                name: "domain_column",
                table: "batch_jobs");

            migrationBuilder.DropColumn(
                name: "end_sequence",
                table: "batch_jobs");

            migrationBuilder.DropColumn(
                name: "file_name",
                table: "batch_jobs");






            migrationBuilder.CreateIndex(
                name: "ix_jobs_batch_id",
                table: "jobs",
                column: "batch_id");
        }
    }
}
