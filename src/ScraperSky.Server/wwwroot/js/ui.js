// Small DOM helpers shared by the pages.

/// h('a', {href: '/x', class: 'y'}, 'text', child) builds an element; null and false children are skipped.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export const text = (value) => (value === null || value === undefined || value === '' ? '—' : String(value));

export function when(value) {
  if (!value) return '—';
  const date = new Date(value);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const statusTag = (status) => h('span', { class: `status status-${status}` }, status.replace('_', ' '));

/// A progress bar as assistive technology reads it: role progressbar with its value.
export function progressBar(label, done, total) {
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  const bar = h('div', {
    class: 'bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': String(percent), 'aria-valuetext': `${done} of ${total} ended (${percent}%)`,
  }, h('span'));
  bar.firstElementChild.style.width = `${percent}%`; // through the CSSOM: the page's CSP refuses style attributes
  return bar;
}

export function setProgress(bar, done, total) {
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  bar.setAttribute('aria-valuenow', String(percent));
  bar.setAttribute('aria-valuetext', `${done} of ${total} ended (${percent}%)`);
  bar.firstElementChild.style.width = `${percent}%`;
}

export const errorBox = (message) => h('p', { class: 'error', role: 'alert' }, message);

/// The three download links of a listing path (format=csv, xlsx, jsonl).
export function downloadLinks(path, name) {
  const join = path.includes('?') ? '&' : '?';
  return h('p', { class: 'actions' },
    h('a', { class: 'button secondary', href: `${path}${join}format=csv`, download: `${name}.csv`, 'data-download': '' }, 'Download CSV'),
    h('a', { class: 'button secondary', href: `${path}${join}format=xlsx`, download: `${name}.xlsx`, 'data-download': '' }, 'Download Excel'),
    h('a', { class: 'button secondary', href: `${path}${join}format=jsonl`, download: `${name}.jsonl`, 'data-download': '' }, 'Download JSON'));
}

export const encode = encodeURIComponent;
