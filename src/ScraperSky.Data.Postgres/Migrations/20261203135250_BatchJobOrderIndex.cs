using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ScraperSky.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class BatchJobOrderIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_jobs_batch_id_id",
                table: "jobs",
                columns: new[] { "batch_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_batch_id_id",
                table: "jobs");
        }
    }
}
