/**
 * The script the preview adds to every HTML page it serves (never to the built files): it listens to the
 * server's events (Server-Sent Events on /__annals/events) and shows the last build's diagnostics in an
 * overlay — errors open, warnings as a small badge that opens on click; fixing the file clears it. The
 * overlay lives in a shadow root so the book's styles and the overlay's cannot touch each other.
 *
 * After a build that wrote files the page is brought up to date: when only pages changed and this page's
 * <head> is the same, its <body> is replaced in place (no flash, the reader keeps the scroll position);
 * when this page did not change, nothing happens; when a stylesheet, font, image or the <head> changed,
 * or anything goes wrong, the page is reloaded.
 */

/** URL prefix the preview keeps for itself; no built file is under it (pages are at the site's top). */
export const PREVIEW_PREFIX = '/__annals/';
export const CLIENT_PATH = `${PREVIEW_PREFIX}client.js`;
export const EVENTS_PATH = `${PREVIEW_PREFIX}events`;
export const OVERLAY_ID = 'annals-preview-overlay';

/** One diagnostic as the overlay shows it: `text` is the terminal's block (location, message, code frame). */
export interface OverlayDiagnostic {
  severity: 'error' | 'warning' | 'info';
  file: string;
  line?: number;
  column?: number;
  ruleId: string;
  message: string;
  text: string;
}

/** What the server sends after every build (event `status`), and to every page that connects. */
export interface BuildStatus {
  /** Counts builds since the preview started. */
  generation: number;
  ok: boolean;
  /** A build is running (the status of the last finished one follows). */
  building: boolean;
  diagnostics: OverlayDiagnostic[];
}

/** The tag that loads the client, placed before `</body>`. */
export function injectClient(html: string): string {
  const tag = `<script src="${CLIENT_PATH}" defer></script>`;
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}

export const clientScript = `// Annals preview client (served by \`annals preview\` only).
(() => {
  const OVERLAY_ID = ${JSON.stringify(OVERLAY_ID)};
  const root = document.documentElement;
  let dismissed = -1;
  let openWarnings = false;
  let last = null;

  const css = \`
    :host { all: initial; }
    .panel { position: fixed; inset: 0; z-index: 2147483647; overflow: auto; background: rgba(20, 20, 24, .88);
      color: #eee; font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 32px; }
    .badge { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; background: #8a5a00; color: #fff;
      font: 13px/1.4 system-ui, sans-serif; border: 0; border-radius: 4px; padding: 6px 10px; cursor: pointer; }
    h1 { font: 600 18px/1.3 system-ui, sans-serif; margin: 0 0 16px; color: #ff8a80; }
    h1.warn { color: #ffd180; }
    pre { white-space: pre-wrap; background: #111; border-left: 4px solid #ff5252; padding: 12px 16px; margin: 0 0 12px; }
    pre.warning { border-left-color: #ffab40; }
    pre.info { border-left-color: #40c4ff; }
    button.close { position: fixed; top: 12px; right: 16px; background: none; color: #eee; border: 0; font-size: 24px; cursor: pointer; }
    p { font-family: system-ui, sans-serif; color: #bbb; }
  \`;

  function host() {
    let el = document.getElementById(OVERLAY_ID);
    if (!el) {
      el = document.createElement('annals-preview-overlay');
      el.id = OVERLAY_ID;
      el.attachShadow({ mode: 'open' });
      (document.body || root).appendChild(el);
    }
    return el;
  }

  function render(status) {
    last = status;
    root.dataset.annalsGeneration = String(status.generation);
    root.dataset.annalsBuild = status.building ? 'building' : status.ok ? 'ok' : 'failed';
    const errors = status.diagnostics.filter((d) => d.severity === 'error');
    const others = status.diagnostics.filter((d) => d.severity !== 'error');
    if (!status.diagnostics.length || dismissed === status.generation) {
      document.getElementById(OVERLAY_ID)?.remove();
      return;
    }
    const shadow = host().shadowRoot;
    shadow.replaceChildren();
    const style = document.createElement('style');
    style.textContent = css;
    shadow.append(style);
    if (!errors.length && !openWarnings) {
      const badge = document.createElement('button');
      badge.className = 'badge';
      badge.textContent = others.length + (others.length === 1 ? ' warning' : ' warnings') + ' in the last build';
      badge.onclick = () => { openWarnings = true; render(last); };
      shadow.append(badge);
      return;
    }
    const panel = document.createElement('div');
    panel.className = 'panel';
    panel.setAttribute('role', 'alert');
    const close = document.createElement('button');
    close.className = 'close';
    close.title = 'Hide until the next build';
    close.textContent = '×';
    close.onclick = () => { dismissed = status.generation; openWarnings = false; render(last); };
    const title = document.createElement('h1');
    if (errors.length) {
      title.textContent = 'Build failed: ' + errors.length + (errors.length === 1 ? ' error' : ' errors') +
        (others.length ? ', ' + others.length + (others.length === 1 ? ' warning' : ' warnings') : '');
    } else {
      title.className = 'warn';
      title.textContent = others.length + (others.length === 1 ? ' warning' : ' warnings');
    }
    const note = document.createElement('p');
    note.textContent = errors.length
      ? 'The page shows the last build that succeeded. Fix the file and save: this closes by itself.'
      : 'The page is up to date.';
    panel.append(close, title, note);
    for (const d of [...errors, ...others]) {
      const pre = document.createElement('pre');
      pre.className = d.severity;
      pre.textContent = d.text;
      panel.append(pre);
    }
    shadow.append(panel);
  }

  const headAtLoad = document.head ? document.head.innerHTML : '';

  /** The output path of this page (site/second.html), or null for the preview's own pages. */
  function outputPath() {
    const path = decodeURIComponent(location.pathname);
    if (path.startsWith(${JSON.stringify(PREVIEW_PREFIX)})) return null;
    return 'site' + (path.endsWith('/') ? path + 'index.html' : path);
  }

  async function update(changed, events) {
    const own = outputPath();
    // The search index and the data files are not loaded by the page itself: they never force a reload.
    const assets = changed.some((p) => p.startsWith('site/') && !/^site\\/[^/]+\\.html$/.test(p) && !/^site\\/(pagefind|data)\\//.test(p));
    if (own && !assets && !changed.includes(own)) return;
    const reload = () => { events.close(); location.reload(); };
    if (!own || assets) return reload();
    try {
      const response = await fetch(location.href, { cache: 'no-store' });
      if (!response.ok) return reload();
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      if (doc.head.innerHTML !== headAtLoad) return reload();
      for (const script of doc.querySelectorAll('script[src=' + JSON.stringify(${JSON.stringify(CLIENT_PATH)}) + ']')) script.remove();
      for (const a of Array.from(document.body.attributes)) document.body.removeAttribute(a.name);
      for (const a of Array.from(doc.body.attributes)) document.body.setAttribute(a.name, a.value);
      document.body.replaceChildren(...Array.from(doc.body.childNodes, (n) => document.importNode(n, true)));
      document.dispatchEvent(new CustomEvent('annals:body-replaced')); // the site's script sets itself up again
      root.dataset.annalsUpdates = String(Number(root.dataset.annalsUpdates || 0) + 1);
      if (last) render(last);
    } catch {
      reload();
    }
  }

  function connect() {
    const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
    events.addEventListener('open', () => { root.dataset.annalsPreview = 'connected'; });
    events.addEventListener('error', () => { root.dataset.annalsPreview = 'disconnected'; });
    events.addEventListener('status', (e) => render(JSON.parse(e.data)));
    events.addEventListener('reload', (e) => {
      const data = JSON.parse(e.data);
      if (data.status) render(data.status);
      update(data.changed || [], events);
    });
  }
  connect();
})();
`;
