// eulagate boot script: runs before the wasm and without it. It replaces
// go-app's raw loading error ("TypeError: Failed to fetch") with a plain
// message the page carries in the reader's language, and never hides the
// prerendered text. It also holds the few DOM helpers the wasm calls
// (window.eulagate): finding text, the reader's place, the end of the text.
(function () {
  "use strict";
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
    var secs = document.querySelectorAll(".eula-section");
    for (var i = 0; i < secs.length; i++) {
      var r = secs[i].getBoundingClientRect();
      if (r.bottom > top + 1) {
        var ratio = r.height > 0 ? Math.max(0, Math.min(1, (top - r.top) / r.height)) : 0;
        return [secs[i].getAttribute("data-section"), ratio];
      }
    }
    return ["", 0];
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

  function scrollToPlace(id, ratio) {
    var secs = document.querySelectorAll(".eula-section");
    for (var i = 0; i < secs.length; i++) {
      if (secs[i].getAttribute("data-section") === id) {
        var r = secs[i].getBoundingClientRect();
        var h = header();
        window.scrollTo(0, window.scrollY + r.top + ratio * r.height - (h.sticky ? h.bottom : 0));
        lastPlace = [id, ratio];
        return;
      }
    }
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

  window.eulagate = { find: findText, place: place, restore: restore, watchEnd: watchEnd, focus: focusWhenShown };

  // go-app's page forbids zooming (maximum-scale=1, user-scalable=no);
  // readers who need larger text must be able to zoom (WCAG 1.4.4).
  var vp = document.querySelector('meta[name="viewport"]');
  if (vp) { vp.setAttribute("content", "width=device-width, initial-scale=1, viewport-fit=cover"); }

  // Before (or without) the wasm, "I decline" asks first too, in the
  // page's language (the labels are in the page's data-view), stating that
  // the installation will not continue; "Yes" posts the plain form.
  document.addEventListener("click", function (e) {
    var page = document.getElementById("eula-page");
    if (!page || page.getAttribute("data-wasm") === "on") { return; }
    var decline = e.target && e.target.closest ? e.target.closest("#eula-decline") : null;
    if (!decline) { return; }
    e.preventDefault();
    var labels = {};
    try { labels = JSON.parse(page.getAttribute("data-view")).labels || {}; } catch (err) { labels = {}; }
    var label = function (key, fallback) { return labels[key] || fallback; };
    var buttons = decline.parentElement;
    var box = document.createElement("div");
    box.id = "eula-confirm";
    box.className = "eula-confirm";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "eula-confirm-text");
    var text = document.createElement("p");
    text.id = "eula-confirm-text";
    text.textContent = label("decline.confirm", "If you decline, the installation will not continue. Do you want to decline?");
    var row = document.createElement("div");
    row.className = "eula-buttons";
    var yes = document.createElement("button");
    yes.type = "submit";
    yes.name = "decision";
    yes.value = "declined";
    yes.id = "eula-decline-yes";
    yes.className = "eula-button eula-decline-yes";
    yes.textContent = label("decline.yes", "Yes, decline");
    var no = document.createElement("button");
    no.type = "button";
    no.id = "eula-decline-no";
    no.className = "eula-button eula-decline";
    no.textContent = label("decline.no", "No, go back");
    var back = function () { box.remove(); buttons.hidden = false; decline.focus(); };
    no.addEventListener("click", back);
    box.addEventListener("keydown", function (k) { if (k.key === "Escape") { back(); } });
    row.appendChild(yes);
    row.appendChild(no);
    box.appendChild(text);
    box.appendChild(row);
    buttons.hidden = true;
    buttons.parentElement.insertBefore(box, buttons.nextSibling);
    yes.focus();
  }, true);

  // Before (or without) the wasm, a must-read page enables "I accept" once
  // the end has been in view; the wasm takes over from there.
  document.addEventListener("DOMContentLoaded", function () {
    var page = document.getElementById("eula-page");
    if (!page || page.getAttribute("data-mustread") !== "on") { return; }
    watchEnd(function () {
      window.eulagateReachedEnd = true;
      var p = document.getElementById("eula-page");
      if (!p || p.getAttribute("data-wasm") === "on") { return; }
      var b = document.getElementById("eula-accept");
      if (b) { b.disabled = false; b.removeAttribute("aria-describedby"); }
      var reason = document.getElementById("eula-mustread");
      if (reason) { reason.hidden = true; }
    });
  });
})();
