// One domain: everything known about it, where each contact was found, its technologies with evidence, sitemaps,
// scan history and a rescan, what changed between its scans and when each technology was first and last seen.
import { get, post, imageUrl, isAbort } from '../api.js';
import { h, text, statusTag, when, errorBox, downloadLinks, encode } from '../ui.js';
import { changesTable } from '../changes.js';

const pages = (list) => (list?.length ? h('span', { class: 'muted' }, ' found on ', ...list.flatMap((url, i) => [i ? ', ' : '', pageLink(url)])) : null);
// Links to the site itself are plain links the user chooses to follow; nothing on this page loads from the site.
const pageLink = (url) => h('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, new URL(url).pathname || '/');
const facts = (pairs) => h('dl', { class: 'facts' }, ...pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
  .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

export async function render(main, { domain }, signal) {
  const path = `/api/v1/domains/${encode(domain)}`;
  const [view, history] = await Promise.all([get(path, signal), get(`${path}/scans?limit=20`, signal)]);
  const m = view.metadata ?? {};
  const contact = m.contact_info ?? {};

  const favicon = h('img', { class: 'favicon', alt: '', hidden: true });
  const logo = h('img', { class: 'logo', alt: `Logo of ${view.domain}`, hidden: true });
  const rescanStatus = h('div', { 'aria-live': 'polite' });
  const rescan = h('button', { type: 'button', id: 'rescan' }, 'Rescan');

  main.append(
    h('div', { class: 'identity' }, favicon, h('div', {}, h('h1', {}, view.title || view.domain), view.title ? h('p', { class: 'muted' }, view.domain) : null), logo),
    view.description ? h('p', {}, view.description) : '',
    h('div', { class: 'actions' }, rescan), rescanStatus,
    facts([
      ['Status', statusTag(view.status)],
      ['Error', view.error],
      ['Language', view.language ? `${view.language}${view.language_source ? ` (${view.language_source.replace('_', ' ')})` : ''}` : null],
      ['Final URL', view.final_url ? h('a', { href: view.final_url, rel: 'noopener noreferrer nofollow', target: '_blank' }, view.final_url) : null],
      ['Company', view.company_name],
      ['Country', view.country],
      ['VAT ID', view.vat_id],
      ['Managing directors', view.managing_directors?.join(', ')],
      ['WordPress', view.is_wordpress ? `yes${view.wordpress_version ? ` ${view.wordpress_version}` : ''}` : 'no'],
      ['Elementor', view.has_elementor ? 'yes' : null],
      ['Last scan', when(view.last_scan_at)],
      ['Scans', String(view.scan_count)],
    ]),
    section('Emails', contact.emails_detail?.length
      ? h('ul', { class: 'plain', id: 'emails' }, contact.emails_detail.map((e) => h('li', {}, h('a', { href: `mailto:${e.email}` }, e.email), ' ', h('span', { class: 'tag' }, e.type), e.deliverable_domain === false ? h('span', { class: 'tag' }, 'domain takes no mail') : null, pages(e.pages))))
      : listOrNone(view.emails, (e) => h('a', { href: `mailto:${e}` }, e))),
    section('Phones', contact.phones?.length
      ? h('ul', { class: 'plain', id: 'phones' }, contact.phones.map((p) => h('li', {}, h('a', { href: `tel:${p.e164}` }, p.display), ' ', h('span', { class: 'tag' }, p.type.replace(/_/g, ' ')), p.region ? h('span', { class: 'tag' }, p.region) : null, pages(p.pages))))
      : listOrNone(view.phones, (p) => p)),
    section('Social profiles', m.social_profiles?.length
      ? h('ul', { class: 'plain' }, m.social_profiles.map((s) => h('li', {}, h('span', { class: 'tag' }, s.platform), ' ', h('a', { href: s.url, rel: 'noopener noreferrer nofollow', target: '_blank' }, s.url), pages(s.pages))))
      : listOrNone(Object.entries(view.social_links ?? {}).filter(([, url]) => url), ([name, url]) => [h('span', { class: 'tag' }, name), ' ', h('a', { href: url, rel: 'noopener noreferrer nofollow', target: '_blank' }, url)])),
    section('Technologies', technologies(m.technologies ?? [], view.technologies)),
    section('Sitemaps', h('div', { id: 'sitemaps' }, sitemapSummary(m.sitemaps))),
    h('section', { id: 'changes', 'aria-labelledby': 'changes-title' }, h('h2', { id: 'changes-title' }, 'Changes'),
      h('div', { id: 'domain-changes' }, h('p', { class: 'muted' }, 'Loading…')),
      h('h3', {}, 'Technologies seen'), technologiesSeen(view.technologies_seen ?? [])),
    section('Scan history', h('div', {},
      downloadLinks(`${path}/scans`, `${view.domain}-scans`),
      h('table', { id: 'history' }, h('caption', { class: 'visually-hidden' }, 'Scans of this domain, newest first'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Scanned'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Error'), h('th', { scope: 'col' }, 'Batch'))),
        h('tbody', {}, history.items.map((s) => h('tr', { id: `scan-${s.scan_id}`, tabindex: '-1' },
          h('td', {}, when(s.scanned_at)), h('td', {}, statusTag(s.status)), h('td', {}, text(s.facts?.title)), h('td', {}, text(s.error)),
          h('td', {}, s.batch_id ? h('a', { href: `/batches/${encode(s.batch_id)}` }, 'batch') : '—'))))))));

  rescan.addEventListener('click', () => rescanDomain(view.domain, rescan, rescanStatus, signal));

  // The images come from this server (fetched and cached there), with the key; the page shows them from memory.
  const show = async (img, kind, url) => {
    if (!url) return;
    const src = await imageUrl(`${path}/${kind}`, signal).catch(() => null);
    if (src && !signal.aborted) { img.src = src; img.hidden = false; }
  };
  await Promise.all([show(favicon, 'favicon', view.favicon_url), show(logo, 'logo', view.logo_url), loadSitemaps(path, signal), loadChanges(path, view.domain, signal)]);
}

function technologiesSeen(seen) {
  if (!seen.length) return h('p', { class: 'muted' }, 'No technology detected yet.');
  return h('table', { id: 'technologies-seen' }, h('caption', { class: 'visually-hidden' }, 'When each technology was first and last detected'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Technology'), h('th', { scope: 'col' }, 'First seen'), h('th', { scope: 'col' }, 'Last seen'))),
    h('tbody', {}, seen.map((t) => h('tr', { 'data-technology': t.name },
      h('th', { scope: 'row' }, t.name), h('td', {}, when(t.first_seen)), h('td', {}, when(t.last_seen))))));
}

// The newest changes; the whole list is a download, and the Changes page pages through them.
async function loadChanges(path, domain, signal) {
  const target = document.getElementById('domain-changes');
  try {
    const page = await get(`${path}/changes?limit=100`, signal);
    if (!page.items.length) {
      target.replaceChildren(h('p', { class: 'muted' }, 'No changes yet: they are recorded from the second scan on.'));
      return;
    }
    const { table, show } = changesTable('changes-list', `Changes between consecutive scans of ${domain}, newest first`, false);
    show(page.items);
    target.replaceChildren(downloadLinks(`${path}/changes`, `${domain}-changes`), table,
      page.next_cursor ? h('p', {}, h('a', { href: `/changes?domain=${encode(domain)}` }, 'All changes of this domain')) : null);
  } catch (error) {
    if (!isAbort(error)) target.replaceChildren(errorBox(error.message));
  }
}

const section = (title, content) => h('section', {}, h('h2', {}, title), content);
const listOrNone = (items, item) => (items?.length ? h('ul', { class: 'plain' }, items.map((i) => h('li', {}, item(i)))) : h('p', { class: 'muted' }, 'None found.'));

function technologies(detected, names) {
  if (!detected.length) return listOrNone(names, (n) => n);
  return h('table', { id: 'technologies' }, h('caption', { class: 'visually-hidden' }, 'Technologies detected'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Technology'), h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Categories'), h('th', { scope: 'col', class: 'num' }, 'Confidence'), h('th', { scope: 'col' }, 'Evidence'))),
    h('tbody', {}, detected.map((t) => h('tr', {},
      h('td', {}, t.name),
      h('td', {}, text(t.version)),
      h('td', {}, h('span', { class: 'tags' }, t.categories.map((c) => h('span', { class: 'tag' }, c)))),
      h('td', { class: 'num' }, `${t.confidence}%`),
      h('td', { class: 'muted' }, t.implied_by?.length ? `implied by ${t.implied_by.join(', ')}` : (t.evidence ?? []).slice(0, 3).map((e) => `${e.kind}${e.name ? ` ${e.name}` : ''}`).join('; ') || '—')))));
}

function sitemapSummary(s) {
  if (!s) return h('p', { class: 'muted' }, 'Sitemaps were not read.');
  return h('p', {}, `${s.files} file${s.files === 1 ? '' : 's'}, ${s.urls} URL${s.urls === 1 ? '' : 's'}${s.newest_lastmod ? `, newest change ${when(s.newest_lastmod)}` : ''}.`);
}

async function loadSitemaps(path, signal) {
  const target = document.getElementById('sitemaps');
  try {
    const [files, urls] = await Promise.all([get(`${path}/sitemaps`, signal), get(`${path}/urls?limit=100`, signal)]);
    if (files.files.length) {
      target.append(h('ul', { class: 'plain' }, files.files.map((f) => h('li', {}, h('span', { class: 'tag' }, f.type), ' ', f.url, ` — ${f.url_count} URLs`, f.error ? h('span', { class: 'status-failed' }, ` (${f.error})`) : null))));
    }
    if (urls.urls.length) {
      target.append(h('details', {}, h('summary', {}, `URLs (${urls.total_urls})`),
        h('ul', { class: 'plain' }, urls.urls.map((u) => h('li', {}, u.loc))),
        urls.next_cursor ? h('p', {}, downloadLinks(`${path}/urls`, 'urls')) : null));
    }
  } catch (error) {
    if (!isAbort(error)) target.append(errorBox(error.message));
  }
}

async function rescanDomain(domain, button, status, signal) {
  button.disabled = true;
  status.replaceChildren(h('p', {}, 'Rescan queued…'));
  try {
    const accepted = await post(`/api/v1/domains/${encode(domain)}/rescan`);
    for (;;) {
      const job = await get(`/api/v1/status/${accepted.job_id}`, signal);
      if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') {
        status.replaceChildren(h('p', { class: job.status === 'completed' ? 'notice' : 'error', role: 'status' }, `Rescan ${job.status}${job.error ? `: ${job.error}` : ''}.`));
        // Show the new facts and history.
        const { navigate } = await import('../app.js');
        setTimeout(() => navigate(`/domains/${encode(domain)}`, { replace: true }), 400);
        return;
      }
      status.replaceChildren(h('p', {}, `Rescanning: ${job.progress?.message || job.status}…`));
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
  } catch (error) {
    if (!isAbort(error)) status.replaceChildren(errorBox(error.message));
  } finally {
    button.disabled = false;
  }
}
