/*
 * Annals — the site's one script (docs/site.md). A classic script, so pages opened from file:// run it:
 *  - the contents sidebar opens and closes behind the header button on narrow screens (Escape closes it);
 *  - the section being read is marked in the sidebar as the reader scrolls (aria-current="location");
 *  - search through the Pagefind index in ../pagefind/ (loaded on first use; over http only — browsers
 *    refuse to load it from file://, and the box then says so). Every word shown comes from the page.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var siteRoot = new URL('..', script ? script.src : location.href);

  // Set up once the page is parsed, and again when `annals preview` replaces the body after a save; the
  // listeners of the previous set-up are removed with it (one AbortController per set-up).
  var current = null;
  function init() {
    if (current) current.abort();
    current = new AbortController();
    var on = { signal: current.signal };
    sidebarToggle(on);
    scrollSpy(on);
    search(on);
  }
  document.addEventListener('DOMContentLoaded', init);
  document.addEventListener('annals:body-replaced', init);

  function sidebarToggle(on) {
    var button = document.querySelector('.sidebar-toggle');
    var bar = document.getElementById('sidebar');
    if (!button || !bar) return;
    function set(open) {
      document.body.classList.toggle('sidebar-open', open);
      button.setAttribute('aria-expanded', String(open));
      button.textContent = open ? button.dataset.closeLabel : button.dataset.openLabel;
    }
    // The panel opens below the header (which keeps the button): its height varies with the width.
    var header = document.querySelector('.site-header');
    function measure() {
      if (header) document.documentElement.style.setProperty('--header-height', header.getBoundingClientRect().height + 'px');
    }
    measure();
    window.addEventListener('resize', measure, on);
    document.addEventListener('click', function (event) {
      if (document.body.classList.contains('sidebar-open') && !bar.contains(event.target) && !button.contains(event.target)) set(false);
    }, on);
    button.addEventListener('click', function () {
      var open = !document.body.classList.contains('sidebar-open');
      set(open);
      if (open) {
        var first = bar.querySelector('[aria-current="page"]') || bar.querySelector('a');
        if (first) first.focus();
      }
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && document.body.classList.contains('sidebar-open')) {
        set(false);
        button.focus();
      }
    }, on);
    bar.addEventListener('click', function (event) {
      if (event.target.closest && event.target.closest('a')) set(false);
    });
  }

  function scrollSpy(on) {
    var links = Array.prototype.slice.call(document.querySelectorAll('.sidebar a[data-section]'));
    var targets = links.map(function (a) { return document.getElementById(a.dataset.section); });
    if (!links.length) return;
    var current = -1;
    var header = document.querySelector('.site-header');
    function update() {
      var line = (header ? header.getBoundingClientRect().bottom : 0) + 24;
      var found = -1;
      for (var i = 0; i < targets.length; i++) {
        if (targets[i] && targets[i].getBoundingClientRect().top <= line) found = i;
      }
      // Scrolled to the end: the last sections may never reach the line; take the last one in view.
      if (window.scrollY > 0 && window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) {
        for (var j = targets.length - 1; j > found; j--) {
          if (targets[j] && targets[j].getBoundingClientRect().top < window.innerHeight) { found = j; break; }
        }
      }
      if (found === current) return;
      if (current >= 0) {
        links[current].removeAttribute('aria-current');
        links[current].classList.remove('is-current');
      }
      current = found;
      if (current >= 0) {
        links[current].setAttribute('aria-current', 'location');
        links[current].classList.add('is-current');
      }
    }
    var pending = false;
    window.addEventListener('scroll', function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; update(); });
    }, { passive: true, signal: on.signal });
    window.addEventListener('hashchange', update, on);
    update();
  }

  function search(on) {
    var box = document.querySelector('.site-search');
    var input = document.getElementById('search-input');
    var out = document.getElementById('search-results');
    if (!box || !input || !out) return;
    var words = box.dataset;
    var engine = null;
    var serial = 0;
    var timer = 0;

    function show(nodes) {
      out.replaceChildren.apply(out, nodes);
      out.hidden = nodes.length === 0;
    }
    function message(text) {
      var p = document.createElement('p');
      p.className = 'search-message';
      p.textContent = text;
      show([p]);
    }
    function load() {
      if (!engine) {
        engine = import(new URL('pagefind/pagefind.js', siteRoot).href).then(function (pagefind) {
          return pagefind.options({ baseUrl: siteRoot.pathname }).then(function () { return pagefind; });
        });
      }
      return engine;
    }
    // The weight of a sub-result: the weights of the words it matched, added up (a word of an entry title
    // weighs 10, of an index term 8, of a heading 5–7, of body text 1), so a title that matches the whole
    // query beats a title that shares one word with it, and both beat the same words in running text.
    function weight(sub) {
      return (sub.weighted_locations || []).reduce(function (m, l) { return m + l.weight; }, 0);
    }
    function run() {
      var query = input.value.trim();
      var mine = ++serial;
      if (!query) return show([]);
      if (location.protocol === 'file:') return message(words.fileUnavailable);
      message(words.loading);
      load()
        .then(function (pagefind) { return pagefind.search(query); })
        .then(function (found) {
          return Promise.all(found.results.slice(0, 10).map(function (r) { return r.data(); })).then(function (pages) {
            return { total: found.results.length, pages: pages };
          });
        })
        .then(function (found) {
          if (mine !== serial) return;
          if (!found.pages.length) return message(words.noResults.replace('{query}', query));
          var hits = [];
          found.pages.forEach(function (page, order) {
            var subs = (page.sub_results || []).slice().sort(function (a, b) { return weight(b) - weight(a); });
            var best = subs.length ? weight(subs[0]) : 0;
            hits.push({ page: page, subs: subs.slice(0, 3), best: best, order: order });
          });
          // Pages whose best match is an entry title or index term first; otherwise Pagefind's order.
          hits.sort(function (a, b) { return b.best - a.best || a.order - b.order; });
          var count = document.createElement('p');
          count.className = 'search-count';
          // One result has a word of its own (English: "1 result", not "1 results").
          count.textContent = found.total === 1 ? words.resultCountOne : words.resultCount.replace('{n}', String(found.total));
          var list = document.createElement('ol');
          list.className = 'search-list';
          hits.forEach(function (hit) {
            var li = document.createElement('li');
            var chapter = document.createElement('a');
            chapter.className = 'search-chapter';
            chapter.href = hit.page.url;
            chapter.textContent = hit.page.meta.title || hit.page.url;
            li.appendChild(chapter);
            var subs = hit.subs.filter(function (s) { return s.url !== hit.page.url; });
            if (!subs.length) subs = [{ url: hit.page.url, title: '', excerpt: hit.page.excerpt }];
            var inner = document.createElement('ol');
            subs.forEach(function (sub) {
              var item = document.createElement('li');
              var a = document.createElement('a');
              a.className = 'search-hit';
              a.href = sub.url;
              if (sub.title && sub.title !== hit.page.meta.title) {
                var t = document.createElement('span');
                t.className = 'search-heading';
                t.textContent = sub.title;
                a.appendChild(t);
              }
              var ex = document.createElement('span');
              ex.className = 'search-excerpt';
              ex.innerHTML = sub.excerpt; // Pagefind's excerpt: escaped text with <mark> around the matches
              a.appendChild(ex);
              item.appendChild(a);
              inner.appendChild(item);
            });
            li.appendChild(inner);
            list.appendChild(li);
          });
          show([count, list]);
        })
        .catch(function () {
          if (mine === serial) message(words.fileUnavailable);
        });
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown') {
        var first = out.querySelector('a');
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === 'Escape') {
        input.value = '';
        show([]);
      }
    });
    out.addEventListener('keydown', function (event) {
      var links = Array.prototype.slice.call(out.querySelectorAll('a'));
      var i = links.indexOf(document.activeElement);
      if (event.key === 'ArrowDown' && i >= 0 && i < links.length - 1) { event.preventDefault(); links[i + 1].focus(); }
      else if (event.key === 'ArrowUp') { event.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      else if (event.key === 'Escape') { input.focus(); show([]); }
    });
  }
})();
