// The tenant's batches, newest first, with their progress.
import { get } from '../api.js';
import { h, statusTag, progressBar, when, encode } from '../ui.js';

export async function render(main, _params, signal) {
  main.append(h('h1', {}, 'Batches'));
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  const table = h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Batches, newest first'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Batch'), h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Progress'), h('th', { scope: 'col', class: 'num' }, 'Entries'),
      h('th', { scope: 'col', class: 'num' }, 'Completed'), h('th', { scope: 'col', class: 'num' }, 'Failed'))),
    body);
  let cursor = null;
  const load = async () => {
    const page = await get(`/api/v1/batches?limit=50${cursor ? `&cursor=${encode(cursor)}` : ''}`, signal);
    body.append(...page.items.map((b) => {
      const ended = b.completed_jobs + b.failed_jobs + b.cancelled_jobs;
      return h('tr', {},
        h('td', {}, h('a', { href: `/batches/${encode(b.batch_id)}` }, b.file_name || b.batch_id)),
        h('td', {}, when(b.started_at)),
        h('td', {}, statusTag(b.status)),
        h('td', {}, progressBar(`Progress of ${b.file_name || b.batch_id}`, ended, b.total_jobs)),
        h('td', { class: 'num' }, String(b.total_jobs)),
        h('td', { class: 'num' }, String(b.completed_jobs)),
        h('td', { class: 'num' }, String(b.failed_jobs)));
    }));
    cursor = page.next_cursor;
    more.hidden = !cursor;
    if (!body.children.length) {
      table.replaceWith(h('p', {}, 'No batches yet. ', h('a', { href: '/' }, 'Start a scan'), '.'));
    }
  };
  more.addEventListener('click', load);
  main.append(table, more);
  await load();
}
