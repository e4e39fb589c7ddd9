// eulagate boot script: runs before the wasm and without it. It replaces
// go-app's raw loading error ("TypeError: Failed to fetch") with a plain
// message the page carries in the reader's language, and never hides the
// prerendered text.
(function () {
  "use strict";
  function failed(err) {
    var loader = document.getElementById("app-wasm-loader");
    var label = document.getElementById("app-wasm-loader-label");
    var page = document.getElementById("eula-page");
    var msg = (page && page.getAttribute("data-wasm-failed")) ||
      "The interactive viewer could not start. You can still read the text and use the buttons below.";
    if (loader) {
      loader.classList.add("eula-wasm-failed");
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
})();
