/**
 * Page ranges in the printed index. Page numbers exist only after the PDF stage's first print fills every
 * `[data-page-of]` element (docs/pdf.md); then repeated pages are merged and runs of consecutive pages
 * become ranges: 12, 12, 13, 14, 20 → 12–14, 20 (two-column books: 57a, 57b, 58a → 57a–58a).
 *
 * The merge runs in the page, as a small script that print.html carries with the index: the PDF stage
 * calls `window.annalsAfterPageNumbers()` after it has filled the numbers (the script also runs by itself
 * when print.html is loaded with the numbers already in). The script is plain JavaScript kept in this
 * string so the browser and the tests (tests/apparatus-index.test.ts) run the same code.
 */
export const INDEX_RANGES_SCRIPT = String.raw`
function annalsMergeLocators(values, dash) {
  dash = dash || '–';
  var parse = function (v) {
    var m = /^(\d+)([a-z]?)$/.exec(String(v).trim());
    return m ? { n: Number(m[1]), c: m[2] } : null;
  };
  var next = function (a) {
    if (!a.c) return { n: a.n + 1, c: '' };
    return a.c === 'a' ? { n: a.n, c: 'b' } : { n: a.n + 1, c: 'a' };
  };
  var same = function (a, b) { return a && b && a.n === b.n && a.c === b.c; };
  var out = [];
  var start = null, end = null, startText = '', endText = '';
  var flush = function () {
    if (startText === '') return;
    out.push({ text: startText === endText ? startText : startText + dash + endText, first: startText });
  };
  for (var i = 0; i < values.length; i++) {
    var text = String(values[i]).trim();
    var p = parse(text);
    if (p && end && (same(p, end) || same(p, next(end)))) { end = p; endText = text; continue; }
    if (!p && text === endText) continue;
    flush();
    start = p; end = p; startText = text; endText = text;
  }
  flush();
  return out;
}
function annalsMergeIndexRanges(root) {
  var lists = (root || document).querySelectorAll('[data-page-ranges]');
  for (var i = 0; i < lists.length; i++) {
    var list = lists[i];
    var raw = list.querySelector('.index-pages-raw');
    var out = list.querySelector('.index-pages-merged');
    if (!raw || !out) continue;
    var links = Array.prototype.slice.call(raw.querySelectorAll('a[data-page-of]'));
    var values = links.map(function (a) { return a.textContent; });
    while (out.firstChild) out.removeChild(out.firstChild);
    if (values.some(function (v) { return !/\d/.test(v); })) { raw.hidden = false; continue; } // not filled in yet
    var merged = annalsMergeLocators(values);
    var used = 0;
    merged.forEach(function (m, k) {
      while (used < links.length - 1 && links[used].textContent.trim() !== m.first) used++;
      var a = document.createElement('a');
      a.href = links[used].getAttribute('href');
      a.className = links[used].className;
      a.textContent = m.text;
      if (k) out.appendChild(document.createTextNode(', '));
      out.appendChild(a);
    });
    raw.hidden = true;
  }
}
window.annalsAfterPageNumbers = function () { annalsMergeIndexRanges(document); };
(function () {
  var start = function () {
    annalsMergeIndexRanges(document);
    // Whenever the PDF stage fills (or refills) the page numbers, merge again.
    if (typeof MutationObserver === 'undefined') return;
    var pending = false;
    var observer = new MutationObserver(function () {
      if (pending) return;
      pending = true;
      Promise.resolve().then(function () { pending = false; annalsMergeIndexRanges(document); });
    });
    var raws = document.querySelectorAll('[data-page-ranges] .index-pages-raw');
    for (var i = 0; i < raws.length; i++) observer.observe(raws[i], { subtree: true, childList: true, characterData: true });
  };
  if (document.readyState !== 'loading') start();
  else document.addEventListener('DOMContentLoaded', start);
  document.addEventListener('annals:page-numbers', function () { annalsMergeIndexRanges(document); });
})();
`;
