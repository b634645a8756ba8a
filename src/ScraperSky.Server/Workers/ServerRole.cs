namespace ScraperSky.Server.Workers;

/// What this process does (`Server:Role`): serve the API, run scan workers, or both. Several `Worker` or `Both`
/// processes may share one PostgreSQL database.
public enum ServerRole
{
    Both,
    Api,
    Worker,
}

public sealed class ServerOptions
{
    public const string Section = "Server";

    public ServerRole Role { get; set; } = ServerRole.Both;

    public bool RunsWorkers => Role is ServerRole.Both or ServerRole.Worker;
}
