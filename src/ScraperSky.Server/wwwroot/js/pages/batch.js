// One batch: live progress and counters from its event stream, its entries (failures first on request), cancel,
// retry and the result files.
import { get, post, events, isAbort } from '../api.js';
import { h, text, statusTag, progressBar, setProgress, errorBox, downloadLinks, encode } from '../ui.js';

const SHOWN = 1000;
const COUNTERS = [['pending', 'pending_jobs'], ['running', 'running_jobs'], ['completed', 'completed_jobs'], ['failed', 'failed_jobs'], ['cancelled', 'cancelled_jobs']];

export async function render(main, { id }, signal) {
  const batch = await get(`/api/v1/batch/status/${encode(id)}?jobs_limit=${SHOWN}`, signal);
  const entries = new Map(batch.jobs.map((job) => [job.job_id, job]));
  const heading = h('h1', {}, batch.file_name ? `Batch: ${batch.file_name}` : 'Batch');
  const state = h('p', {}, 'Status: ', statusTag(batch.status), h('span', { class: 'muted' }, `  ${batch.batch_id}`));
  const bar = progressBar('Batch progress', 0, batch.total_jobs);
  const counters = h('ul', { class: 'counters', 'aria-live': 'polite' });
  const notice = h('div', { 'aria-live': 'polite' });
  const cancel = h('button', { type: 'button', id: 'cancel' }, 'Cancel');
  const retry = h('button', { type: 'button', id: 'retry', class: 'secondary' }, 'Retry failed');
  const failuresFirst = h('input', { type: 'checkbox', id: 'failures-first' });
  const body = h('tbody');
  const table = h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Entries of the batch'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Domain'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Error'))),
    body);

  main.append(heading, state, bar, counters,
    h('div', { class: 'actions' }, cancel, retry),
    notice,
    h('h2', {}, 'Results'),
    downloadLinks(`/api/v1/batch/${encode(batch.batch_id)}/results`, `${batch.batch_id}-results`),
    h('h2', {}, 'Entries'),
    h('label', { class: 'inline', for: 'failures-first' }, failuresFirst, 'Failures first'),
    batch.total_jobs > SHOWN ? h('p', { class: 'hint' }, `The first ${SHOWN} of ${batch.total_jobs} entries; the downloads hold them all.`) : '',
    table);

  const showCounters = (c) => {
    state.replaceChildren('Status: ', statusTag(c.status), h('span', { class: 'muted' }, `  ${c.batch_id}`));
    counters.replaceChildren(...COUNTERS.map(([label, field]) => h('li', { 'data-counter': label }, h('b', {}, String(c[field] ?? 0)), label)));
    setProgress(bar, c.completed_jobs + c.failed_jobs + c.cancelled_jobs, c.total_jobs);
    cancel.disabled = c.pending_jobs === 0 && c.running_jobs === 0;
    retry.disabled = c.failed_jobs + c.cancelled_jobs === 0;
  };

  const order = { failed: 0, cancelled: 1, running: 2, pending: 3, completed: 4 };
  const showEntries = () => {
    let rows = [...entries.values()];
    if (failuresFirst.checked) rows = rows.map((r, i) => [r, i]).sort((a, b) => (order[a[0].status] - order[b[0].status]) || (a[1] - b[1])).map(([r]) => r);
    body.replaceChildren(...rows.map((job) => h('tr', { 'data-domain': job.domain },
      h('td', {}, job.status === 'completed' ? h('a', { href: `/domains/${encode(job.domain)}` }, job.domain) : job.domain),
      h('td', {}, statusTag(job.status)),
      h('td', {}, text(job.error)))));
  };

  failuresFirst.addEventListener('change', showEntries);
  showCounters(batch);
  showEntries();

  const control = async (button, action, done) => {
    button.disabled = true;
    try {
      const result = await post(`/api/v1/batch/${encode(batch.batch_id)}/${action}`);
      notice.replaceChildren(h('p', { class: 'notice' }, done(result.affected_jobs)));
      const fresh = await get(`/api/v1/batch/status/${encode(batch.batch_id)}?jobs_limit=${SHOWN}`, signal);
      fresh.jobs.forEach((job) => entries.set(job.job_id, job));
      showCounters(fresh);
      showEntries();
      if (action === 'retry') follow();
    } catch (error) {
      if (!isAbort(error)) notice.replaceChildren(errorBox(error.message));
    }
  };
  cancel.addEventListener('click', () => control(cancel, 'cancel', (n) => `Cancelled ${n} waiting ${n === 1 ? 'entry' : 'entries'}; running scans finish.`));
  retry.addEventListener('click', () => control(retry, 'retry', (n) => `${n} ${n === 1 ? 'entry runs' : 'entries run'} again.`));

  let following = null;
  const follow = () => {
    following?.abort();
    const stop = new AbortController();
    following = stop;
    signal.addEventListener('abort', () => stop.abort(), { once: true });
    (async () => {
      try {
        for await (const event of events(`/api/v1/batch/${encode(batch.batch_id)}/events`, stop.signal)) {
          if (event.type === 'counters' || event.type === 'end') {
            showCounters(event.data);
          } else if (event.type === 'job') {
            const job = event.data;
            entries.set(job.job_id, { domain: job.domain, job_id: job.job_id, status: job.status, error: job.error });
            showEntries();
          }
          if (event.type === 'end') {
            main.dataset.ended = 'true';
          }
        }
      } catch (error) {
        if (!isAbort(error) && !stop.signal.aborted) notice.replaceChildren(errorBox(`Live updates stopped: ${error.message}`));
      }
    })();
  };
  follow();
}
