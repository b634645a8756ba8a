namespace ScraperSky.Scanning.Extraction;

/// One <see cref="CompanyDetails"/> for a site from its pages' own: a legal notice's facts outrank the homepage's and
/// those of other pages (it is where the law makes a business state them), then pages count in the order read. Ids and
/// directors are gathered from every page, each with the first page that gave it.
internal static class CompanyMerge
{
    public static CompanyDetails? Merge(IReadOnlyList<PageExtraction> pages)
    {
        // OrderBy is stable: pages of equal rank keep the order they were read in.
        var ranked = pages.OrderBy(p => p.IsLegalNotice ? 0 : 1).Select(p => p.Company).OfType<CompanyDetails>().ToList();
        if (ranked.Count == 0)
        {
            return null;
        }

        var address = ranked.Select(c => c.Address).FirstOrDefault(a => a is not null);
        var merged = new CompanyDetails
        {
            LegalName = ranked.Select(c => c.LegalName).FirstOrDefault(v => v is not null),
            Address = address,
            Country = address?.Country is { Length: 2 } code
                ? new SourcedValue(code, address.Page)
                : ranked.Select(c => c.Country).FirstOrDefault(v => v is not null),
            VatId = ranked.Select(c => c.VatId).FirstOrDefault(v => v is not null),
            RegistrationIds = [.. ranked.SelectMany(c => c.RegistrationIds).DistinctBy(r => (r.Type, r.Value))],
            ManagingDirectors = [.. ranked.SelectMany(c => c.ManagingDirectors).DistinctBy(d => d.Value, StringComparer.OrdinalIgnoreCase)],
        };
        return merged.IsEmpty ? null : merged;
    }
}
