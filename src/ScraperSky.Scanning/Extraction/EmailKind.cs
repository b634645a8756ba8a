namespace ScraperSky.Scanning.Extraction;

/// Tells a shared role mailbox (info@, sales@, kontakt@ ...) from a person's address, by the local part's first word
/// (`info.berlin@` and `sales-eu@` are roles too), in the languages the contact-page selector knows.
internal static class EmailKind
{
    public const string Role = "role";
    public const string Personal = "personal";

    private static readonly HashSet<string> RoleWords = new(StringComparer.OrdinalIgnoreCase)
    {
        // English
        "info", "information", "sales", "support", "contact", "contacts", "hello", "hi", "office", "admin", "billing",
        "accounts", "accounting", "team", "help", "helpdesk", "service", "services", "enquiries", "enquiry", "inquiries",
        "inquiry", "marketing", "press", "media", "pr", "jobs", "careers", "career", "hr", "recruiting", "mail", "post",
        "booking", "bookings", "reservations", "reservation", "orders", "order", "shop", "store", "webmaster",
        "postmaster", "hostmaster", "abuse", "privacy", "legal", "compliance", "finance", "invoices", "invoice",
        "customerservice", "customercare", "care", "feedback", "partners", "partner", "studio", "editor", "editorial",
        "events", "welcome", "general", "questions", "dpo", "security", "reception", "frontdesk", "newsletter", "news",
        "management", "board", "sekretariat", "secretary", "appointments", "hire", "hiring", "quotes", "quote",
        // German
        "kontakt", "hallo", "presse", "karriere", "bewerbung", "bewerbungen", "bestellung", "bestellungen", "datenschutz",
        "buchhaltung", "rechnung", "rechnungen", "kundenservice", "verkauf", "vertrieb", "empfang", "redaktion", "anfrage",
        "anfragen", "termin", "termine", "praxis", "kanzlei", "buero", "verwaltung", "zentrale",
        // French
        "bonjour", "commande", "commandes", "vente", "ventes", "direction", "secretariat", "accueil", "contactez",
        "recrutement", "comptabilite", "facturation", "redaction", "serviceclient",
        // Spanish, Italian, Dutch, Portuguese
        "hola", "contacto", "ventas", "administracion", "secretaria", "recepcion", "reservas", "pedidos", "prensa",
        "ciao", "contatti", "contatto", "vendite", "amministrazione", "segreteria", "ordini", "prenotazioni", "ufficio",
        "klantenservice", "verkoop", "bestelling", "bestellingen", "receptie", "administratie", "contato", "vendas",
        "atendimento", "geral",
    };

    public static string Of(string address)
    {
        var at = address.IndexOf('@');
        var local = at < 0 ? address : address[..at];
        var end = local.AsSpan().IndexOfAny(".-_+");
        var first = end < 0 ? local : local[..end];
        return RoleWords.Contains(first) || RoleWords.Contains(local) ? Role : Personal;
    }
}
