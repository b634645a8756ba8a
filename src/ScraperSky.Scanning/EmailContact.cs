namespace ScraperSky.Scanning;

/// An address of `contact_info.email` with what a salesperson needs before writing to it.
/// <param name="Type">`role` for a shared mailbox (info@, sales@, kontakt@ ...), else `personal`.</param>
/// <param name="DeliverableDomain">Whether the domain accepts mail (it has an MX, or an address when it has none);
/// false for a domain that does not exist or publishes a null MX; null when unknown (not checked, or DNS failed).</param>
public sealed record EmailContact(string Email, string Type, IReadOnlyList<string> Pages, bool? DeliverableDomain);
