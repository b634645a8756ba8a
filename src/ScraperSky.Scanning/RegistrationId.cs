namespace ScraperSky.Scanning;

/// A company register entry. <see cref="Type"/> is one of `handelsregister` (HRA/HRB), `siren`, `siret`, `cif`, `nif`,
/// `partita_iva`, `kvk`, `company_number`; <see cref="Value"/> as registers write it (`HRB 123456 B`, digits only for
/// SIREN/SIRET/KvK).
public sealed record RegistrationId(string Type, string Value, string Page);
