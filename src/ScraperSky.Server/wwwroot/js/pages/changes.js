// The tenant's feed of changes between consecutive scans, newest first: filtered by type, domain and time, paged with
// the cursor, and the filtered feed as a file. The filters live in the address and are the API's query parameters.
import { get, isAbort } from '../api.js';
import { h, downloadLinks, errorBox } from '../ui.js';
import { navigate } from '../app.js';
import { CHANGE_TYPES, typeLabel, changesTable } from '../changes.js';

const FILTERS = ['type', 'domain', 'since'];
const PAGE = 50;

export async function render(main, _params, signal) {
  const query = new URLSearchParams(location.search);
  const filters = new URLSearchParams();
  for (const name of FILTERS) if (query.get(name)) filters.set(name, query.get(name));

  const form = h('form', { id: 'change-filters', role: 'search' },
    h('div', { class: 'row' },
      h('div', {}, h('label', { for: 'change-type' }, 'Type'),
        h('select', { id: 'change-type', name: 'type' },
          h('option', { value: '', selected: !filters.get('type') }, 'Any'),
          CHANGE_TYPES.map((t) => h('option', { value: t, selected: filters.get('type') === t }, typeLabel(t))))),
      h('div', {}, h('label', { for: 'change-domain' }, 'Domain'),
        h('input', { id: 'change-domain', name: 'domain', type: 'text', value: filters.get('domain') || '', placeholder: 'example.com', spellcheck: 'false' })),
      h('div', {}, h('label', { for: 'change-since' }, 'Since'),
        h('input', { id: 'change-since', name: 'since', type: 'date', value: filters.get('since') || '' })),
      h('div', {}, h('button', { type: 'submit' }, 'Apply'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim()) next.set(name, String(value).trim());
    navigate(`/changes${next.size ? `?${next}` : ''}`, { replace: true });
  });
  form.querySelector('select').addEventListener('change', () => form.requestSubmit());

  const { table, show } = changesTable('changes-table', 'Changes between consecutive scans, newest first', true);
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const problem = h('div');
  const previous = h('button', { type: 'button', class: 'secondary' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next page');
  const listing = `/api/v1/changes${filters.size ? `?${filters}` : ''}`;

  main.append(h('h1', {}, 'Changes'),
    h('p', { class: 'muted' }, 'What changed between consecutive scans of a domain: technologies, contacts, title, language, redirects, reachability. The first scan of a domain records none.'),
    form,
    h('h2', { class: 'visually-hidden' }, 'Download'),
    downloadLinks(listing, 'changes'),
    problem, summary, table,
    h('div', { class: 'pager' }, previous, next));

  const cursors = [null];
  let page = 0;
  const load = async () => {
    const params = new URLSearchParams(filters);
    params.set('limit', String(PAGE));
    if (cursors[page]) params.set('cursor', cursors[page]);
    const result = await get(`/api/v1/changes?${params}`, signal);
    cursors[page + 1] = result.next_cursor;
    show(result.items);
    const first = page * PAGE + 1;
    summary.textContent = result.items.length
      ? `Showing ${first}–${first + result.items.length - 1}${result.next_cursor ? '' : ' (last page)'}.`
      : (filters.size ? 'No change matches these filters.' : 'No change yet: a domain shows changes from its second scan.');
    previous.disabled = page === 0;
    next.disabled = !result.next_cursor;
  };
  const turn = (step) => {
    page += step;
    problem.replaceChildren();
    load().catch((error) => {
      page -= step;
      if (!isAbort(error)) problem.replaceChildren(errorBox(error.message));
    });
  };
  previous.addEventListener('click', () => turn(-1));
  next.addEventListener('click', () => turn(1));
  try {
    await load();
  } catch (error) {
    // A filter the API refuses (a malformed domain) is said beside the form, which stays to correct it.
    if (isAbort(error)) throw error;
    problem.replaceChildren(errorBox(error.message));
    next.disabled = true;
    previous.disabled = true;
  }
}
