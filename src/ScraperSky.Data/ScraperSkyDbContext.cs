using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ScraperSky.Data.Configurations;
using ScraperSky.Data.Entities;

namespace ScraperSky.Data;

public sealed class ScraperSkyDbContext(DbContextOptions<ScraperSkyDbContext> options) : DbContext(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Domain> Domains => Set<Domain>();
    public DbSet<DomainScan> DomainScans => Set<DomainScan>();
    public DbSet<BatchEntry> BatchEntries => Set<BatchEntry>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<BatchJob> BatchJobs => Set<BatchJob>();
    public DbSet<SitemapFile> SitemapFiles => Set<SitemapFile>();
    public DbSet<SitemapUrl> SitemapUrls => Set<SitemapUrl>();
    public DbSet<Schedule> Schedules => Set<Schedule>();
    public DbSet<DomainChange> DomainChanges => Set<DomainChange>();
    public DbSet<DomainTechnology> DomainTechnologies => Set<DomainTechnology>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    private bool? _isPostgres;

    /// PostgreSQL writes waiting to go with the context's next statement (<see cref="RawStatements.DeferAsync"/>).
    internal List<Npgsql.NpgsqlBatchCommand>? DeferredStatements { get; set; }

    /// The tenants' webhooks as read in the context's current transaction (`WebhookOutbox`).
    internal (object Transaction, Dictionary<Guid, List<(Guid Id, List<string> Events)>> ByTenant)? SubscribedWebhooks { get; set; }

    /// Asked before nearly every statement; the provider's name is looked up through the context's internal services,
    /// which cost a visible share of a worker's CPU, and a context's provider never changes.
    public bool IsPostgres => _isPostgres ??= Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var postgres = IsPostgres;
        modelBuilder.ApplyConfiguration(new TenantConfiguration());
        modelBuilder.ApplyConfiguration(new ApiKeyConfiguration());
        modelBuilder.ApplyConfiguration(new DomainConfiguration());
        modelBuilder.ApplyConfiguration(new DomainScanConfiguration(postgres));
        modelBuilder.ApplyConfiguration(new BatchEntryConfiguration());
        modelBuilder.ApplyConfiguration(new JobConfiguration(postgres));
        modelBuilder.ApplyConfiguration(new BatchJobConfiguration(postgres));
        modelBuilder.ApplyConfiguration(new SitemapFileConfiguration());
        modelBuilder.ApplyConfiguration(new SitemapUrlConfiguration());
        modelBuilder.ApplyConfiguration(new ScheduleConfiguration(postgres));
        modelBuilder.ApplyConfiguration(new DomainChangeConfiguration());
        modelBuilder.ApplyConfiguration(new DomainTechnologyConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookDeliveryConfiguration(postgres));
        modelBuilder.Entity<Tenant>().HasData(new Tenant
        {
            Id = Tenant.DefaultId,
            Name = "default",
            CreatedAt = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite hands DateTime back unspecified, so mark it on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
