namespace ScraperSky.Data.Spreadsheets;

/// An uploaded file that cannot be read as a domain list; the message says what is wrong and where, for the user.
public sealed class DomainTableException : Exception
{
    public DomainTableException()
    {
    }

    public DomainTableException(string message)
        : base(message)
    {
    }

    public DomainTableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
