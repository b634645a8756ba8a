// The typed changes between consecutive scans as a table, shared by the Domain page (one domain's changes) and the
// Changes page (the tenant's feed). A change links to its scan and the scan compared with in the domain's history.
import { h, text, when, encode } from './ui.js';

/// The `type` values of GET /api/v1/changes, in the order the API documents them (ChangeTypes.All on the server; a UI
/// test holds the two lists equal).
export const CHANGE_TYPES = [
  'tech_added', 'tech_removed', 'tech_version_changed', 'email_added', 'email_removed', 'phone_added', 'phone_removed',
  'social_changed', 'title_changed', 'description_changed', 'language_changed', 'sitemap_urls_changed',
  'final_url_changed', 'became_unreachable', 'recovered',
];

export const typeLabel = (type) => type.replace(/_/g, ' ');

/// The history row of a scan on the Domain page; the links work from any page.
export const scanHref = (domain, scanId) => `/domains/${encode(domain)}#scan-${scanId}`;

/// A table of changes; `withDomain` adds the domain column (the feed).
export function changesTable(id, caption, withDomain) {
  const body = h('tbody');
  const columns = ['Detected', withDomain ? 'Domain' : null, 'Type', 'Field', 'From', 'To', 'Scans'].filter(Boolean);
  const table = h('table', { id, class: 'changes' }, h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))), body);
  const show = (items) => body.replaceChildren(...items.map((c) => h('tr', { 'data-type': c.type, 'data-domain': c.domain },
    h('td', {}, h('time', { datetime: c.detected_at }, when(c.detected_at))),
    withDomain ? h('td', { class: 'domain' }, h('a', { href: `/domains/${encode(c.domain)}` }, c.domain)) : null,
    h('td', {}, h('span', { class: `tag change-${c.type}` }, typeLabel(c.type))),
    h('td', {}, c.field),
    h('td', { class: 'from' }, text(c.from)),
    h('td', { class: 'to' }, text(c.to)),
    h('td', {}, h('a', { href: scanHref(c.domain, c.scan_id), 'aria-label': `Scan of ${c.domain} that found this change` }, 'scan'),
      c.previous_scan_id ? [' · ', h('a', { href: scanHref(c.domain, c.previous_scan_id), 'aria-label': `Earlier scan of ${c.domain} compared with` }, 'earlier')] : null))));
  return { table, show };
}
