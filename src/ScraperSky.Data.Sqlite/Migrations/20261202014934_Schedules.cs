using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScraperSky.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Schedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "schedules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    domains = table.Column<string>(type: "TEXT", nullable: false),
                    source_batch_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    filter = table.Column<string>(type: "TEXT", nullable: true),
                    every = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    cron = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    options = table.Column<string>(type: "TEXT", nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    next_run_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_run_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_batch_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    run_count = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_schedules", x => x.id);
                    table.ForeignKey(
                        name: "fk_schedules_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_schedules_next_run_at",
                table: "schedules",
                column: "next_run_at",
                filter: "state = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_schedules_tenant_id_id",
                table: "schedules",
                columns: new[] { "tenant_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schedules");
        }
    }
}
