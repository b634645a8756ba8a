// New scan: paste domains or upload a file. One domain is followed here and opens its result; several, or a file,
// open the batch page.
import { get, post, send, ApiError } from '../api.js';
import { h, errorBox, progressBar, setProgress } from '../ui.js';
import { navigate } from '../app.js';

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); reject(new DOMException('Left the page', 'AbortError')); }, { once: true });
});

export function parseDomains(value) {
  return [...new Set(value.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean))];
}

export async function render(main, _params, signal) {
  const status = h('div', { id: 'scan-status', 'aria-live': 'polite' });
  const form = h('form', { id: 'new-scan', novalidate: true },
    h('label', { for: 'domains' }, 'Domains'),
    h('p', { class: 'hint', id: 'domains-hint' }, 'One per line, or separated by commas or semicolons.'),
    h('textarea', { id: 'domains', name: 'domains', 'aria-describedby': 'domains-hint', spellcheck: 'false', placeholder: 'example.com\nexample.org' }),
    h('label', { for: 'file' }, 'Upload CSV or Excel'),
    h('input', { id: 'file', name: 'file', type: 'file', accept: '.csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'aria-describedby': 'file-hint' }),
    h('p', { class: 'hint', id: 'file-hint' }, 'The domain column is found by its header (domain, website, url ...) or its values; name it below to choose.'),
    h('fieldset', {},
      h('legend', {}, 'Options'),
      h('div', { class: 'row' },
        h('div', {}, h('label', { for: 'column' }, 'Domain column (optional)'), h('input', { id: 'column', name: 'column', type: 'text', size: '12' })),
        h('div', {}, h('label', { for: 'max-pages' }, 'Max pages'), h('input', { id: 'max-pages', name: 'max_pages', type: 'number', min: '1', max: '100', value: '10' })),
        h('div', {}, h('label', { class: 'inline', for: 'sitemaps' }, h('input', { id: 'sitemaps', name: 'include_sitemaps', type: 'checkbox', checked: true }), 'Read sitemaps')))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'start' }, 'Start scan')),
    status);

  main.append(h('h1', {}, 'New scan'), form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('#start');
    status.replaceChildren();
    const maxPages = Number.parseInt(form.max_pages.value, 10);
    if (!(maxPages >= 1)) {
      status.append(errorBox('Max pages must be a whole number of at least 1.'));
      return;
    }
    const includeSitemaps = form.include_sitemaps.checked;
    const file = form.file.files[0];
    const domains = parseDomains(form.domains.value);
    if (!file && domains.length === 0) {
      status.append(errorBox('Enter at least one domain, or choose a CSV or Excel file.'));
      form.domains.focus();
      return;
    }
    button.disabled = true;
    try {
      if (file) {
        const body = new FormData();
        body.append('file', file);
        if (form.column.value.trim()) body.append('column', form.column.value.trim());
        body.append('max_pages', String(maxPages));
        body.append('include_sitemaps', String(includeSitemaps));
        const response = await send('/api/v1/batch/upload', { method: 'POST', body, headers: { Accept: 'application/json' } });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) throw new ApiError(response.status, answer.detail || `Upload failed (${response.status}).`);
        navigate(`/batches/${answer.batch_id}`);
      } else if (domains.length === 1) {
        const accepted = await post('/api/v1/scrapersky', { base_url: domains[0], max_pages: maxPages, include_sitemaps: includeSitemaps });
        await follow(accepted.job_id, status, signal);
      } else {
        const accepted = await post('/api/v1/batch', { domains, max_pages: maxPages, include_sitemaps: includeSitemaps });
        navigate(`/batches/${accepted.batch_id}`);
      }
    } catch (error) {
      if (error.name !== 'AbortError') status.append(errorBox(error.message));
    } finally {
      button.disabled = false;
    }
  });
}

const steps = { pending: 0, starting: 10, running: 20, extracting: 50, storing: 90, completed: 100, failed: 100 };

// Follows one scan until it ends; opens the domain on success.
async function follow(jobId, status, signal) {
  const bar = progressBar('Scan progress', 0, 100);
  const message = h('p', {}, 'Queued…');
  status.replaceChildren(message, bar);
  for (;;) {
    const job = await get(`/api/v1/status/${jobId}`, signal);
    setProgress(bar, steps[job.progress?.step] ?? steps[job.status] ?? 20, 100);
    message.textContent = `${job.domain}: ${job.progress?.message || job.status}`;
    if (job.status === 'completed') {
      navigate(`/domains/${encodeURIComponent(job.domain)}`);
      return;
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      status.append(errorBox(`The scan of ${job.domain} ${job.status}: ${job.error || 'no reason given'}`));
      return;
    }
    await sleep(700, signal);
  }
}
