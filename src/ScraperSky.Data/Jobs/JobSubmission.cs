using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScraperSky.Data.Entities;
using ScraperSky.Scanning;
using ScraperSky.Scanning.Domains;

namespace ScraperSky.Data.Jobs;

/// What a client asked of a scan, stored as the job's (and a batch's) `options` JSON.
public sealed record ScanJobOptions
{
    // Left out when unset: the worker reads a present `max_pages` as a number.
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxPages { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IncludeSitemaps { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ScanJson.Options);

    public static ScanJobOptions FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? new() : JsonSerializer.Deserialize<ScanJobOptions>(json, ScanJson.Options) ?? new();
}

/// A batch as accepted: its row and how many jobs it holds.
public sealed record SubmittedBatch(BatchJob Batch, int JobCount);

/// One entry of a batch as the user sent it: the text, and for a file its row number and every cell of the row.
public sealed record BatchInput(string? Text, int? Row = null, IReadOnlyList<string>? Cells = null);

/// Where an uploaded batch came from: the file's name, its header row and the column that held the domains.
public sealed record BatchSource(string? FileName, IReadOnlyList<string> Columns, string DomainColumn);

/// Creates job and batch rows. A batch and all its jobs are one transaction: either every entry is a job or none is.
public sealed partial class JobSubmission(
    ScraperSkyDbContext db,
    TimeProvider time,
    IOptions<JobOptions> options,
    JobQueueSignal signal,
    ILogger<JobSubmission> logger)
{
    private const int MaxStoredEntryLength = 2048;

    public async Task<Job> SubmitScanAsync(
        Guid tenantId, string domain, ScanJobOptions scanOptions, CancellationToken cancellationToken)
    {
        await TenantQuota.EnsureRoomAsync(db, options.Value, tenantId, 1, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var job = PendingJob(tenantId, domain, null, scanOptions.ToJson(), now, Guid.CreateVersion7());
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return job;
    }

    /// Every entry becomes a job at once: valid domains pending (each distinct normalised domain once), invalid ones
    /// failed with the reason. The caller checks the batch size against <see cref="JobOptions.MaxBatchSize"/>.
    public Task<SubmittedBatch> SubmitBatchAsync(
        Guid tenantId, IReadOnlyList<string?> entries, ScanJobOptions scanOptions, CancellationToken cancellationToken) =>
        SubmitBatchAsync(tenantId, [.. entries.Select(e => new BatchInput(e))], null, scanOptions, cancellationToken);

    /// As above, keeping each entry as sent (<see cref="BatchEntry"/>): its row, its text and, from a file, its cells.
    public async Task<SubmittedBatch> SubmitBatchAsync(
        Guid tenantId, IReadOnlyList<BatchInput> entries, BatchSource? source, ScanJobOptions scanOptions,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var optionsJson = scanOptions.ToJson();
        var batch = new BatchJob
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Options = optionsJson,
            CreatedAt = now,
            FileName = source?.FileName is { } name ? StoredText.Entry(name, 255) : null,
            Columns = source is null ? null : StoredText.Json(source.Columns.Select(c => StoredText.Entry(c, MaxStoredEntryLength))),
            DomainColumn = source is null ? null : StoredText.Entry(source.DomainColumn, 255),
        };
        var jobs = new List<Job>(entries.Count);
        var batchEntries = new List<BatchEntry>(entries.Count);
        var ids = new OrderedIds(time.GetUtcNow());
        var jobOf = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var failed = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var text = StoredText.Entry(entry.Text ?? "", MaxStoredEntryLength);
            // The same invalid text twice is one failed job; "\u0001" keeps it apart from any valid domain.
            var domain = DomainName.TryNormalize(entry.Text, out var normalized) ? normalized : null;
            var key = domain ?? "\u0001" + text;
            if (!jobOf.TryGetValue(key, out var jobId))
            {
                jobId = ids.Next();
                jobOf[key] = jobId;
                if (domain is not null)
                {
                    jobs.Add(PendingJob(tenantId, domain, batch.Id, optionsJson, now, jobId));
                }
                else
                {
                    jobs.Add(InvalidJob(tenantId, text, batch.Id, optionsJson, now, jobId, ++failed));
                }
            }

            batchEntries.Add(new BatchEntry
            {
                BatchId = batch.Id,
                Row = entry.Row ?? i + 1,
                Input = text,
                JobId = jobId,
                Cells = entry.Cells is null ? null : StoredText.Json(entry.Cells.Select(c => StoredText.Entry(c, MaxStoredEntryLength))),
            });
        }

        batch.TotalJobs = jobs.Count;
        batch.FailedJobs = failed;
        batch.EndSequence = failed;
        batch.Status = BatchJob.StatusFor(jobs.Count, 0, failed, 0, null, anyStarted: false);
        batch.CompletedAt = failed == jobs.Count ? now : null;
        // One transaction (the caller's, when a schedule run submits inside its own), so a failing insert leaves no
        // batch, job or entry behind. On SQLite it holds the write lock from its start, so the queue limit is checked
        // against what is committed when the rows go in.
        await using var transaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        await TenantQuota.EnsureRoomAsync(db, options.Value, tenantId, jobs.Count - failed, cancellationToken);
        db.BatchJobs.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await BatchRowWriter.WriteAsync(db, jobs, batchEntries, cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        LogBatchAccepted(logger, batch.PublicId, tenantId, jobs.Count, failed);
        if (failed < jobs.Count)
        {
            signal.Notify();
        }

        return new SubmittedBatch(batch, jobs.Count);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Accepted batch {BatchId} for tenant {TenantId}: {JobCount} jobs, {InvalidCount} of them invalid entries")]
    private static partial void LogBatchAccepted(ILogger logger, string batchId, Guid tenantId, int jobCount, int invalidCount);

    private Job PendingJob(Guid tenantId, string domain, Guid? batchId, string optionsJson, DateTime now, Guid id) => new()
    {
        Id = id,
        TenantId = tenantId,
        Type = JobTypes.DomainScan,
        Domain = domain,
        BatchId = batchId,
        Status = JobStatus.Pending,
        ProgressStep = ScanSteps.Starting,
        ProgressMessage = "Waiting for a worker",
        Options = optionsJson,
        MaxAttempts = Math.Max(1, options.Value.MaxAttempts),
        NextAttemptAt = now,
        CreatedAt = now,
    };

    /// An entry that is not a domain: a job that ended failed at once, the <paramref name="endSequence"/>th to end.
    private Job InvalidJob(Guid tenantId, string entry, Guid batchId, string optionsJson, DateTime now, Guid id, long endSequence)
    {
        var error = $"Invalid domain format: {entry}";
        return new Job
        {
            Id = id,
            TenantId = tenantId,
            Type = JobTypes.DomainScan,
            Domain = entry,
            BatchId = batchId,
            Status = JobStatus.Failed,
            ProgressStep = ScanSteps.Failed,
            ProgressMessage = error,
            Error = error,
            Options = optionsJson,
            MaxAttempts = Math.Max(1, options.Value.MaxAttempts),
            NextAttemptAt = now,
            CreatedAt = now,
            CompletedAt = now,
            EndSequence = endSequence,
        };
    }

    /// Version-7 UUIDs whose random bits start with a counter, so ordering a batch's jobs by id gives the order they
    /// were submitted in (UUID order is byte order in PostgreSQL and text order in SQLite; both follow these bytes).
    private sealed class OrderedIds(DateTimeOffset now)
    {
        private readonly Guid _seed = Guid.CreateVersion7(now);
        private int _next;

        public Guid Next()
        {
            var sequence = _next++;
            Span<byte> bytes = stackalloc byte[16];
            _seed.TryWriteBytes(bytes, bigEndian: true, out _);
            // 12 bits of rand_a (after the version nibble), then 6 bits after the variant and one whole byte: 26 bits.
            bytes[6] = (byte)(0x70 | ((sequence >> 22) & 0x0F));
            bytes[7] = (byte)(sequence >> 14);
            bytes[8] = (byte)(0x80 | ((sequence >> 8) & 0x3F));
            bytes[9] = (byte)sequence;
            return new Guid(bytes, bigEndian: true);
        }
    }
}
