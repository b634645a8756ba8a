// The client-side router: each path is a page module with render(main, params, signal); links within the UI are
// followed without reloading, and a page's requests are aborted when the user leaves it.
import { download, isAbort } from './api.js';
import { errorBox } from './ui.js';

const routes = [
  [/^\/$/, () => import('./pages/new-scan.js'), 'New scan'],
  [/^\/batches$/, () => import('./pages/batches.js'), 'Batches'],
  [/^\/batches\/(?<id>[^/]+)$/, () => import('./pages/batch.js'), 'Batch'],
  [/^\/domains$/, () => import('./pages/domains.js'), 'Domains'],
  [/^\/domains\/(?<domain>[^/]+)$/, () => import('./pages/domain.js'), 'Domain'],
  [/^\/changes$/, () => import('./pages/changes.js'), 'Changes'],
];

let leaving = null;
let shown = null;

async function show() {
  leaving?.abort();
  const controller = new AbortController();
  leaving = controller;
  const main = document.getElementById('main');
  const path = location.pathname.replace(/\/+$/, '') || '/';
  shown = location.pathname + location.search;
  const route = routes.find(([pattern]) => pattern.test(path));
  for (const link of document.querySelectorAll('.top nav a')) {
    const target = link.getAttribute('href');
    const current = target === '/' ? path === '/' : path === target || path.startsWith(`${target}/`);
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  main.replaceChildren();
  if (!route) {
    document.title = 'Not found · ScraperSky';
    main.append(errorBox(`There is no page at ${path}.`));
    return;
  }
  const [pattern, load, title] = route;
  document.title = `${title} · ScraperSky`;
  try {
    const page = await load();
    const params = Object.fromEntries(Object.entries(pattern.exec(path).groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    await page.render(main, params, controller.signal);
    // A link to a part of a page (a scan in a domain's history) shows that part once the page is there.
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && !controller.signal.aborted) {
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    }
  } catch (error) {
    if (!isAbort(error) && !controller.signal.aborted) {
      main.append(errorBox(error.message));
    }
  }
}

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
  show();
  document.getElementById('main').focus({ preventScroll: false });
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const url = new URL(link.href, location.href);
  // Other origins, blob: files being saved and links to the site scanned are the browser's to follow.
  if (url.origin !== location.origin || !url.protocol.startsWith('http') || link.target === '_blank') {
    return;
  }
  if (link.hasAttribute('data-download')) {
    // With a key the file must be fetched with it; without one the browser streams it straight to disk.
    if (localStorage.getItem('scrapersky.apiKey')) {
      event.preventDefault();
      download(link).catch((error) => link.after(errorBox(error.message)));
    }
    return;
  }
  if (url.hash && url.pathname === location.pathname && url.search === location.search) {
    return; // a part of this page: the browser scrolls to it
  }
  if (url.pathname.startsWith('/docs') || url.pathname.startsWith('/api/') || url.pathname.startsWith('/openapi/')) {
    return;
  }
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
});

// Following a link to a part of the shown page (a fragment) stays on that page; only another page is rendered.
addEventListener('popstate', () => {
  if (location.pathname + location.search !== shown) show();
});
show();
