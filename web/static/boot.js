// eulagate boot script: runs before the wasm and without it. The page
// loads it deferred, ahead of go-app's scripts: it runs once the text and
// the decision form are parsed, before app.js; the head starts app.wasm's
// download (a fetch).
// It replaces go-app's raw loading error ("TypeError: Failed to fetch")
// with a plain message the page carries in the reader's language, and
// never hides the prerendered text. It also holds the few DOM helpers the
// wasm calls (window.eulagate): finding text, the reader's place, the end
// of the text. Its go-app workarounds (failed, the early compile,
// eulagateAfterPaint, takeover, keepInput) are listed in
// web/internal/goappfix.
(function () {
  "use strict";
  // WebKit (WebKitGTK 2.50) crashes laying out sections with
  // content-visibility: auto once the wasm replaces them (a language
  // switch): there every section is laid out (eulagate.css, .eula-cv-off;
  // docs/integration.md, support table).
  if (navigator.vendor === "Apple Computer, Inc.") { document.documentElement.classList.add("eula-cv-off"); }
  function failed(err) {
    var loader = document.getElementById("app-wasm-loader");
    var label = document.getElementById("app-wasm-loader-label");
    var page = document.getElementById("eula-page");
    var msg = (page && page.getAttribute("data-wasm-failed")) ||
      "The interactive viewer could not start. You can still read the text and use the buttons below.";
    if (page) { page.classList.add("eula-nowasm"); }
    if (loader) {
      loader.classList.add("eula-wasm-failed");
      // Above the page rather than over it: a box in a corner would cover
      // the decision buttons.
      if (page && page.parentNode) { page.parentNode.insertBefore(loader, page); }
      var icon = document.getElementById("app-wasm-loader-icon");
      if (icon) { icon.remove(); }
    }
    if (label) { label.textContent = msg; }
    if (err && window.console) { console.warn("eulagate: wasm did not start:", err); }
  }
  window.eulagateWasmFailed = failed;
  if (typeof WebAssembly !== "object") {
    document.addEventListener("DOMContentLoaded", function () { failed("WebAssembly is not available"); });
  } else if (WebAssembly.compileStreaming && wanted()) {
    // Compile app.wasm now, from the download the head's script started,
    // rather than once go-app's deferred app.js runs (it takes the module
    // from here). Not while the page is parsed: the streaming compile's
    // tasks on the main thread came between the parser's, and at 4× CPU
    // throttle the form became usable 1.4 to 1.7 times as late (README,
    // Performance).
    // The head's script started the download (window.eulagateWasmFetch):
    // one download in every engine, where a preload link is not matched
    // to this fetch by WebKit.
    window.eulagateWasm = WebAssembly.compileStreaming(window.eulagateWasmFetch || fetch("/web/app.wasm"));
    window.eulagateWasm.catch(function () {}); // app.js reports it
    window.eulagateWasm.then(keepWasm, function () {});
  }

  // keepWasm asks the service worker, once the page is idle, to keep the
  // app.wasm this page downloaded, which it then finds in the browser's
  // HTTP cache: the next page reads it from the worker's cache
  // (web/worker.go, keepWasmMessage). Not in WebKit (2.50), where the
  // worker's fetch downloaded it a second time: there the first page the
  // worker controls keeps it.
  function keepWasm() {
    if (!navigator.serviceWorker || navigator.vendor === "Apple Computer, Inc.") { return; }
    var idle = window.requestIdleCallback || function (f) { setTimeout(f, 0); };
    idle(function () {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.active) { reg.active.postMessage("eulagate:keep-wasm"); }
      });
    }, { timeout: 2000 });
  }

  // wanted tells whether go-app's app.js will load the wasm (not for
  // robots, nor with ?wasm=false).
  function wanted() {
    if (/bot|googlebot|crawler|spider|robot|crawling/i.test(navigator.userAgent)) { return false; }
    return new URLSearchParams(location.search).get("wasm") !== "false";
  }

  // Text nodes of the shown text (the document and the English originals
  // that are open), in document order.
  function textNodes() {
    var out = [];
    var roots = document.querySelectorAll(".eula-section-body, .eula-original:not([hidden]) .eula-original-body");
    for (var i = 0; i < roots.length; i++) {
      var w = document.createTreeWalker(roots[i], NodeFilter.SHOW_TEXT);
      for (var n = w.nextNode(); n; n = w.nextNode()) { out.push(n); }
    }
    return out;
  }

  var find = { text: "", ranges: [], index: -1 };

  function highlight() {
    if (!window.CSS || !CSS.highlights || typeof Highlight !== "function") { return; }
    CSS.highlights.delete("eula-find");
    CSS.highlights.delete("eula-find-current");
    if (find.ranges.length === 0) { return; }
    CSS.highlights.set("eula-find", new Highlight(...find.ranges));
    if (find.index >= 0) { CSS.highlights.set("eula-find-current", new Highlight(find.ranges[find.index])); }
  }

  // findText highlights every match of text and moves step matches from
  // the current one (0: the first match below the top of the window). It
  // returns [index from 1, count].
  function findText(text, step) {
    text = String(text || "");
    if (text !== find.text || step === 0) {
      find.text = text;
      find.ranges = [];
      find.index = -1;
      var needle = text.toLocaleLowerCase();
      if (needle.trim() !== "") {
        var nodes = textNodes();
        for (var i = 0; i < nodes.length; i++) {
          var s = nodes[i].data;
          var hay = s.toLocaleLowerCase();
          if (hay.length !== s.length) { hay = s; }
          for (var at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
            var r = document.createRange();
            r.setStart(nodes[i], at);
            r.setEnd(nodes[i], at + needle.length);
            find.ranges.push(r);
          }
        }
      }
      if (find.ranges.length > 0) {
        find.index = 0;
        for (var j = 0; j < find.ranges.length; j++) {
          if (find.ranges[j].getBoundingClientRect().top >= 0) { find.index = j; break; }
        }
        step = 0;
      }
    }
    var n = find.ranges.length;
    if (n > 0) {
      find.index = ((find.index + step) % n + n) % n;
      var el = find.ranges[find.index].startContainer.parentElement;
      if (el) { el.scrollIntoView({ block: "center" }); }
    }
    highlight();
    return [find.index + 1, n];
  }

  // header tells whether the page header stays on screen (sticky, on
  // large screens) and where it ends.
  function header() {
    var h = document.querySelector(".eula-header");
    if (!h) { return { sticky: false, bottom: 0 }; }
    return { sticky: getComputedStyle(h).position === "sticky", bottom: h.getBoundingClientRect().bottom };
  }

  // livePlace returns the first section below top and how far into it the
  // reader is.
  function livePlace(top) {
    var sec = sectionAt(top);
    if (!sec) { return ["", 0]; }
    var r = sec.getBoundingClientRect();
    var ratio = r.height > 0 ? Math.max(0, Math.min(1, (top - r.top) / r.height)) : 0;
    return [sec.getAttribute("data-section"), ratio];
  }

  // sectionAt returns the first section that reaches below top (in the
  // window's coordinates).
  function sectionAt(top) {
    var secs = document.querySelectorAll(".eula-section");
    for (var i = 0; i < secs.length; i++) {
      if (secs[i].getBoundingClientRect().bottom > top + 1) { return secs[i]; }
    }
    return null;
  }

  // sectionById returns the section with the given id.
  function sectionById(id) {
    return id ? document.querySelector('.eula-section[data-section="' + CSS.escape(id) + '"]') : null;
  }

  // The place where the reader was last reading: where the header did not
  // show (a reader who scrolls up to the language picker on a small screen
  // has left their place only to reach it).
  var lastPlace = null;
  var placePending = false;
  window.addEventListener("scroll", function () {
    if (placePending) { return; }
    placePending = true;
    requestAnimationFrame(function () {
      placePending = false;
      var h = header();
      if (h.sticky) { lastPlace = livePlace(h.bottom); } else if (h.bottom <= 0) { lastPlace = livePlace(0); }
    });
  }, { passive: true });

  // place returns the section the reader is reading and how far into it.
  function place() {
    var h = header();
    if (h.sticky) { return livePlace(h.bottom); }
    if (h.bottom <= 0 || !lastPlace) { return livePlace(0); }
    return lastPlace;
  }

  // restore scrolls back to a place that place returned, once the page
  // shows the language lang (within two seconds).
  function restore(id, ratio, lang) {
    if (!id) { return; }
    var tries = 0;
    (function attempt() {
      var page = document.getElementById("eula-page");
      if (!page || page.getAttribute("lang") !== lang) {
        if (++tries < 120) { requestAnimationFrame(attempt); }
        return;
      }
      requestAnimationFrame(function () { scrollToPlace(id, ratio); });
    })();
  }

  // settle lays out (content-visibility: visible) the section sec and its
  // neighbours, at least a screen's height of text above and below it:
  // sections off screen are laid out only when they come near the window,
  // and until then have an estimated height, so that without this the
  // text the reader is taken to would move once the sections just above
  // it are laid out.
  function settle(sec) {
    var secs = document.querySelectorAll(".eula-section");
    var i = Array.prototype.indexOf.call(secs, sec);
    var screen = window.innerHeight || 800;
    var h = 0;
    for (var a = i; a >= 0 && (a >= i - 2 || h < screen); a--) {
      secs[a].classList.add("eula-section-near");
      if (a < i) { h += secs[a].getBoundingClientRect().height; }
    }
    h = 0;
    for (var b = i; b < secs.length && (b <= i + 2 || h < screen); b++) {
      secs[b].classList.add("eula-section-near");
      h += secs[b].getBoundingClientRect().height;
    }
  }

  function scrollToPlace(id, ratio) {
    var sec = sectionById(id);
    if (!sec) { return; }
    settle(sec);
    var r = sec.getBoundingClientRect();
    var h = header();
    window.scrollTo(0, window.scrollY + r.top + ratio * r.height - (h.sticky ? h.bottom : 0));
    lastPlace = [id, ratio];
  }

  // watchEnd calls done once the end of the text has been in view.
  function watchEnd(done) {
    var end = document.getElementById("eula-end");
    if (!end) { return; }
    if (!("IntersectionObserver" in window)) { done(); return; }
    var seen = false;
    var obs = new IntersectionObserver(function (entries) {
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].isIntersecting && !seen) {
          seen = true;
          obs.disconnect();
          done();
        }
      }
    });
    obs.observe(end);
  }

  // focus moves the focus to the element with the given id as soon as it
  // is rendered (within a second).
  function focusWhenShown(id) {
    var tries = 0;
    (function attempt() {
      var e = document.getElementById(id);
      if (e && e.getClientRects().length > 0 && !e.disabled) { e.focus(); return; }
      if (++tries < 60) { requestAnimationFrame(attempt); }
    })();
  }

  // takeover is called just before the wasm's first render replaces the
  // prerendered page (go-app does not hydrate: it builds the page anew).
  // It notes the section bodies and what the reader is reading, and
  // returns the function to call right after, in the same task, before
  // the browser paints: it moves the prerendered bodies' content into the
  // new page's empty ones (data-adopt) rather than having the text parsed
  // again, and scrolls back to the reader's place (sections off screen
  // are not laid out and lose their height).
  function takeover() {
    var kept = keepInput();
    var bodies = {};
    var old = document.querySelectorAll(".eula-section-body");
    for (var i = 0; i < old.length; i++) { bodies[bodyKey(old[i])] = old[i]; }
    var at = window.scrollY !== 0 ? sectionAt(0) : null;
    var place = at ? [at.getAttribute("data-section"), at.getBoundingClientRect().top] : null;
    return function () {
      var empty = document.querySelectorAll("[data-adopt]");
      for (var k = 0; k < empty.length; k++) {
        var from = bodies[bodyKey(empty[k])];
        if (!from) { continue; }
        while (from.firstChild) { empty[k].appendChild(from.firstChild); }
        empty[k].removeAttribute("data-adopt");
      }
      if (document.querySelector("[data-adopt]")) {
        // Never a blank section: say so, as when the wasm fails.
        failed("a prerendered section could not be taken over");
      }
      kept();
      var sec = place && sectionById(place[0]);
      if (sec) {
        settle(sec);
        window.scrollBy(0, sec.getBoundingClientRect().top - place[1]);
      }
    };
  }

  // keepInput notes what the reader did in the page's controls before the
  // wasm: text typed (in a field with an id), a choice made in a list (a
  // select with an id, such as a language picked but not yet applied),
  // lists opened (details), and where the focus is. It returns the
  // function that does the same in the page the wasm rendered, telling the
  // wasm by an input, change or click event, as the reader's own action
  // would.
  function keepInput() {
    var typed = [], picked = [], opened = [];
    var fields = document.querySelectorAll("input[id]:not([type=hidden]), textarea[id]");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value) { typed.push([fields[i].id, fields[i].value]); }
    }
    var lists = document.querySelectorAll("select[id]");
    for (var n = 0; n < lists.length; n++) {
      var was = lists[n].querySelector("option[selected]");
      if (was && lists[n].value !== was.value) { picked.push([lists[n].id, lists[n].value]); }
    }
    var open = document.querySelectorAll("details[open]");
    for (var j = 0; j < open.length; j++) {
      var host = open[j].closest("[id]");
      var sum = open[j].querySelector("summary[id]");
      if (host) { opened.push([host.id, sum ? sum.id : ""]); }
    }
    var focused = document.activeElement && document.activeElement !== document.body ? document.activeElement.id : "";
    return function () {
      for (var k = 0; k < typed.length; k++) {
        var f = document.getElementById(typed[k][0]);
        if (f && !f.value) {
          f.value = typed[k][1];
          f.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
      for (var pi = 0; pi < picked.length; pi++) {
        var l = document.getElementById(picked[pi][0]);
        if (l && l.value !== picked[pi][1]) {
          l.value = picked[pi][1];
          l.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
      for (var m = 0; m < opened.length; m++) {
        var h = document.getElementById(opened[m][0]);
        var d = h && (h.matches("details") ? h : h.querySelector("details"));
        var b = document.getElementById(opened[m][1]);
        if (d) {
          d.open = true;
        } else if (b && b.matches("button")) {
          // The wasm's control in place of the list's summary (the
          // question "I decline" asks, a dialog once the wasm runs).
          b.click();
        }
      }
      var el = focused && document.getElementById(focused);
      if (el && document.activeElement !== el) { el.focus({ preventScroll: true }); }
    };
  }

  // bodyKey names a section body by its section.
  function bodyKey(el) {
    var sec = el.closest(".eula-section");
    return sec ? sec.getAttribute("data-section") : "";
  }

  // A link to a section (#id): lay out around its target, so that the
  // browser's scroll to it stays put.
  function settleHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    var sec = el && el.closest ? el.closest(".eula-section") : null;
    if (!sec) { return; }
    settle(sec);
    el.scrollIntoView();
  }
  document.addEventListener("DOMContentLoaded", settleHash);
  window.addEventListener("hashchange", settleHash);

  // near returns the ids of the sections on screen, from a screen above it
  // to two below.
  function near() {
    var out = [], h = window.innerHeight || 800;
    var secs = document.querySelectorAll(".eula-section");
    for (var i = 0; i < secs.length; i++) {
      var r = secs[i].getBoundingClientRect();
      if (r.bottom >= -h && r.top <= 3 * h) { out.push(secs[i].getAttribute("data-section")); }
    }
    return out;
  }

  // eulagateAfterPaint calls f once the browser has painted a frame, or
  // after a tenth of a second in a hidden page, where frames do not come.
  // It calls f once only (the wasm releases f after the call).
  window.eulagateAfterPaint = function (f) {
    var called = false;
    function once() { if (!called) { called = true; f(); } }
    requestAnimationFrame(function () { setTimeout(once, 0); });
    setTimeout(once, 100);
  };

  window.eulagate = { find: findText, place: place, restore: restore, watchEnd: watchEnd, focus: focusWhenShown, takeover: takeover, near: near };

  // The sections' HTML of the Views the wasm fetches (app/client, held.go)
  // is kept here, by key, rather than decoded into the wasm: a body that
  // names its key (data-held) is filled as soon as it is in the page, in
  // the same task, before the browser paints. heldKey is
  // app/client.heldKey.
  var held = new Map();
  function heldKey(kind, lang, kiosk, sec) {
    return kind + "/" + lang + "/" + sec.id + "/" + sec.hash + (kiosk ? "/kiosk" : "");
  }
  // hold keeps the sections' HTML of a View (JSON text) and returns the
  // View without it (JSON text); anything else as it is.
  function hold(text) {
    var v;
    try { v = JSON.parse(text); } catch (e) { return text; }
    if (!v || typeof v.lang !== "string") { return text; }
    var kiosk = !!(v.query && v.query.kiosk);
    [["sections", "s", v.lang], ["original", "o", "en"]].forEach(function (p) {
      (v[p[0]] || []).forEach(function (sec) {
        if (typeof sec.html === "string" && sec.html !== "") {
          held.set(heldKey(p[1], p[2], kiosk, sec), sec.html);
          sec.html = "";
        }
      });
    });
    return JSON.stringify(v);
  }
  // heldOriginal keeps under to the HTML held under from, its heading's id
  // (id) replaced by the one the English original beside a translation
  // gives it (app.OriginalHeadingID: origID).
  function heldOriginal(from, to, id, origID) {
    var h = held.get(from);
    if (h === undefined) { return false; }
    var old = ' id="' + id + '"', at = h.indexOf(old);
    held.set(to, at < 0 ? h : h.slice(0, at) + ' id="' + origID + '"' + h.slice(at + old.length));
    return true;
  }
  function fillHeld() {
    if (held.size === 0) { return; } // nothing fetched yet: no body names a key
    var bodies = document.querySelectorAll("[data-held]");
    for (var i = 0; i < bodies.length; i++) {
      var h = held.get(bodies[i].getAttribute("data-held"));
      if (h !== undefined) { bodies[i].innerHTML = h; }
      bodies[i].removeAttribute("data-held");
    }
  }
  if ("MutationObserver" in window) {
    new MutationObserver(function (records, obs) { fillHeld(); obs.takeRecords(); })
      .observe(document.documentElement, { childList: true, subtree: true });
    window.eulagate.hold = hold;
    window.eulagate.heldOriginal = heldOriginal;
    window.eulagate.fillHeld = fillHeld;
  }

  // Before (or without) the wasm, "Print" prints: the page says when the
  // wasm has taken it over (data-wasm="on"), and its own button prints.
  document.addEventListener("click", function (e) {
    var page = document.getElementById("eula-page");
    if (!page || page.getAttribute("data-wasm") === "on") { return; }
    if (e.target && e.target.closest && e.target.closest("#eula-print")) { window.print(); }
  });
})();
