namespace ScraperSky.Scanning;

/// Who is behind a site, as its JSON-LD and legal notice (Impressum, mentions légales, aviso legal, note legali,
/// colofon) publish it: the `company` metadata field. Every fact names the page it was read on.
public sealed record CompanyDetails
{
    public SourcedValue? LegalName { get; init; }
    public PostalAddress? Address { get; init; }

    /// ISO 3166 alpha-2, from the postal address.
    public SourcedValue? Country { get; init; }

    /// Normalised, with its country prefix (`DE301234567`).
    public SourcedValue? VatId { get; init; }

    public IReadOnlyList<RegistrationId> RegistrationIds { get; init; } = [];

    /// Geschäftsführer, gérant, administrador, amministratore, directeur ...
    public IReadOnlyList<SourcedValue> ManagingDirectors { get; init; } = [];

    public bool IsEmpty => LegalName is null && Address is null && Country is null && VatId is null
        && RegistrationIds.Count == 0 && ManagingDirectors.Count == 0;
}
