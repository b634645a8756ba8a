// Every scanned domain: search, filters, sortable columns, paging, and the filtered set as a file. The filters live
// in the address (so Back and a shared link show the same table) and are exactly the API's query parameters.
import { get } from '../api.js';
import { h, text, statusTag, when, downloadLinks, encode } from '../ui.js';
import { navigate } from '../app.js';

const FILTERS = ['q', 'tech', 'has_email', 'has_phone', 'language', 'wordpress', 'sort'];
const COLUMNS = [
  ['domain', 'Domain', 'domain'], ['title', 'Title', null], ['language', 'Language', null], ['emails', 'Emails', null],
  ['phones', 'Phones', null], ['technologies', 'Technologies', null], ['last_scan_at', 'Last scan', 'last_scan_at'],
  ['scan_count', 'Scans', 'scan_count'], ['status', 'Status', null],
];
const PAGE = 50;

const yesNo = (id, label, value) => h('div', {},
  h('label', { for: id }, label),
  h('select', { id, name: id.replace(/-/g, '_') },
    h('option', { value: '', selected: !value }, 'Any'),
    h('option', { value: 'true', selected: value === 'true' }, 'Yes'),
    h('option', { value: 'false', selected: value === 'false' }, 'No')));

export async function render(main, _params, signal) {
  const query = new URLSearchParams(location.search);
  const filters = new URLSearchParams();
  for (const name of FILTERS) if (query.get(name)) filters.set(name, query.get(name));
  const sort = filters.get('sort') || 'domain';

  const form = h('form', { id: 'domain-filters', role: 'search' },
    h('div', { class: 'row' },
      h('div', {}, h('label', { for: 'q' }, 'Search'), h('input', { id: 'q', name: 'q', type: 'search', value: filters.get('q') || '', placeholder: 'Domain or title' })),
      h('div', {}, h('label', { for: 'tech' }, 'Technology'), h('input', { id: 'tech', name: 'tech', type: 'text', value: filters.get('tech') || '', placeholder: 'e.g. WordPress' })),
      yesNo('has-email', 'Has email', filters.get('has_email')),
      yesNo('has-phone', 'Has phone', filters.get('has_phone')),
      h('div', {}, h('label', { for: 'language' }, 'Language'), h('input', { id: 'language', name: 'language', type: 'text', size: '5', value: filters.get('language') || '', placeholder: 'en' })),
      yesNo('wordpress', 'WordPress', filters.get('wordpress')),
      h('div', {}, h('button', { type: 'submit' }, 'Apply'))));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim()) next.set(name, String(value).trim());
    if (filters.get('sort')) next.set('sort', filters.get('sort'));
    navigate(`/domains${next.size ? `?${next}` : ''}`, { replace: true });
  });
  for (const select of form.querySelectorAll('select')) select.addEventListener('change', () => form.requestSubmit());

  const head = h('tr', {}, ...COLUMNS.map(([field, label, key]) => {
    if (!key) return h('th', { scope: 'col' }, label);
    const direction = sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : null;
    const nextSort = sort === key ? `-${key}` : key;
    const button = h('button', { type: 'button', 'data-sort': field }, label, direction ? (direction === 'ascending' ? ' ▲' : ' ▼') : '');
    button.addEventListener('click', () => {
      const next = new URLSearchParams(filters);
      next.set('sort', nextSort);
      navigate(`/domains?${next}`, { replace: true });
    });
    return h('th', { scope: 'col', 'aria-sort': direction ?? 'none' }, button);
  }));
  const body = h('tbody');
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', class: 'secondary' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next page');
  const listing = `/api/v1/domains${filters.size ? `?${filters}` : ''}`;

  main.append(h('h1', {}, 'Domains'), form,
    h('h2', { class: 'visually-hidden' }, 'Download'),
    downloadLinks(listing, 'domains'),
    summary,
    h('table', { id: 'domains-table' }, h('caption', { class: 'visually-hidden' }, 'Scanned domains'), h('thead', {}, head), body),
    h('div', { class: 'pager' }, previous, next));

  const cursors = [null];
  let page = 0;
  const load = async () => {
    const params = new URLSearchParams(filters);
    params.set('limit', String(PAGE));
    if (cursors[page]) params.set('cursor', cursors[page]);
    const result = await get(`/api/v1/domains?${params}`, signal);
    cursors[page + 1] = result.next_cursor;
    body.replaceChildren(...result.items.map((d) => h('tr', { 'data-domain': d.domain },
      h('td', {}, h('a', { href: `/domains/${encode(d.domain)}` }, d.domain)),
      h('td', {}, text(d.title)),
      h('td', {}, text(d.language)),
      h('td', {}, d.emails.length ? d.emails.join(', ') : '—'),
      h('td', {}, d.phones.length ? d.phones.join(', ') : '—'),
      h('td', {}, d.technologies.length ? d.technologies.join(', ') : '—'),
      h('td', {}, when(d.last_scan_at)),
      h('td', { class: 'num' }, String(d.scan_count)),
      h('td', {}, statusTag(d.status)))));
    const first = page * PAGE + 1;
    summary.textContent = result.items.length
      ? `Showing ${first}–${first + result.items.length - 1}${result.next_cursor ? '' : ' (last page)'}.`
      : (filters.size ? 'No domain matches these filters.' : 'No domain scanned yet.');
    previous.disabled = page === 0;
    next.disabled = !result.next_cursor;
  };
  previous.addEventListener('click', () => { page -= 1; load(); });
  next.addEventListener('click', () => { page += 1; load(); });
  await load();
}
