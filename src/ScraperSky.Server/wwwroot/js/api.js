// The one module that talks to the API: the API key (kept in localStorage, sent as X-API-Key), errors read from
// ProblemDetails, files and images fetched with the key, and batch event streams read over fetch (EventSource
// cannot send the key).

const KEY = 'scrapersky.apiKey';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export const apiKey = {
  get: () => localStorage.getItem(KEY),
  set: (value) => localStorage.setItem(KEY, value),
  clear: () => localStorage.removeItem(KEY),
};

function headers(extra = {}) {
  const key = apiKey.get();
  return key ? { ...extra, 'X-API-Key': key } : extra;
}

async function problemOf(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || `The server answered ${response.status}.`;
  } catch {
    return `The server answered ${response.status} ${response.statusText}.`;
  }
}

let asking = null;

// Shows the key dialog once for every caller waiting on a 401; resolves true when a key was entered.
function askForKey(message) {
  asking ??= new Promise((resolve) => {
    const dialog = document.getElementById('api-key-dialog');
    const input = document.getElementById('api-key-input');
    document.getElementById('api-key-message').textContent = message;
    input.value = '';
    dialog.addEventListener('close', () => {
      asking = null;
      const value = input.value.trim();
      if (dialog.returnValue === 'save' && value) {
        apiKey.set(value);
        resolve(true);
      } else {
        resolve(false);
      }
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
  return asking;
}

/// Sends a request; on 401 asks for a key (saying why the last one failed) and tries again.
export async function send(path, options = {}) {
  for (;;) {
    const response = await fetch(path, { ...options, headers: headers(options.headers) });
    if (response.status !== 401) {
      return response;
    }

    const detail = await problemOf(response);
    const had = apiKey.get();
    const message = had
      ? `The API key was not accepted: ${detail} Enter another key.`
      : 'This server requires an API key. Ask your administrator for one (scrapersky tenants create).';
    if (had) {
      apiKey.clear();
    }
    if (!(await askForKey(message))) {
      throw new ApiError(401, had ? `The API key was not accepted: ${detail}` : 'An API key is required.');
    }
  }
}

export async function request(path, options = {}) {
  const init = { ...options };
  if (options.json !== undefined) {
    init.method ??= 'POST';
    init.body = JSON.stringify(options.json);
    init.headers = { 'Content-Type': 'application/json', ...options.headers };
    delete init.json;
  }
  const response = await send(path, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.status === 204 ? null : response.json();
}

export const get = (path, signal) => request(path, { signal });
export const post = (path, json = {}) => request(path, { json });

/// A file download. Without a key the browser follows the link itself (streamed to disk); with one the file is
/// fetched with the key and saved from memory.
export async function download(link) {
  const response = await send(link.href);
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] || link.download || 'download';
  const url = URL.createObjectURL(blob);
  const save = document.createElement('a');
  save.href = url;
  save.download = decodeURIComponent(name);
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/// An image of the API as a blob: URL (an <img> cannot send the key), or null when there is none.
export async function imageUrl(path, signal) {
  const response = await send(path, { signal });
  if (!response.ok) {
    return null;
  }
  return URL.createObjectURL(await response.blob());
}

/// Server-Sent Events over fetch: yields {type, data, id}; reconnects with Last-Event-ID when the stream drops,
/// and ends after the `end` event or when the signal aborts.
export async function* events(path, signal) {
  let last = null;
  while (!signal.aborted) {
    const response = await send(path, {
      signal,
      headers: last ? { Accept: 'text/event-stream', 'Last-Event-ID': last } : { Accept: 'text/event-stream' },
    });
    if (!response.ok) {
      throw new ApiError(response.status, await problemOf(response));
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let event = { type: 'message', data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end).replace(/\r$/, '');
        buffer = buffer.slice(end + 1);
        if (line === '') {
          if (event.data.length) {
            if (event.id) {
              last = event.id;
            }
            yield { type: event.type, data: JSON.parse(event.data.join('\n')), id: event.id };
            if (event.type === 'end') {
              reader.cancel().catch(() => {});
              return;
            }
          }
          event = { type: 'message', data: [], id: null };
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event.type = text;
          else if (field === 'data') event.data.push(text);
          else if (field === 'id') event.id = text;
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export const isAbort = (error) => error?.name === 'AbortError';
