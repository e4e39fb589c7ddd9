package app

import "strconv"

// consoleStyle is the console's own part of the style sheet; the rest is
// the viewer's (web/static/eulagate.css).
const consoleStyle = `<style>
.console-nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.console-nav a[aria-current=page]{font-weight:700;text-decoration:none}
.console-nav form{margin:0}
.console-charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(30rem,1fr));gap:1rem}
.console-charts figure{margin:0;border:1px solid var(--border);border-radius:6px;padding:.5rem 1rem}
.c-chart{margin:.5rem 0}
.c-row{display:flex;align-items:center;gap:.5rem;min-height:26px}
.c-label{flex:0 0 10rem;overflow-wrap:anywhere;font-size:.85rem}
.c-bar{flex:0 1 auto;max-width:100%;height:18px}
.c-total{font-size:.85rem}
.c-acc{fill:#1f6f3f}.c-dec{fill:#a00000}.c-inst{fill:#1f4e79}
.legend .swatch{display:inline-block;width:.8em;height:.8em;margin-inline:.6em .3em}
.legend .c-acc{background:#1f6f3f}.legend .c-dec{background:#a00000}.legend .c-inst{background:#1f4e79}
.console-nav .eula-lang{margin:0}
table.console{border-collapse:collapse;width:100%;font-size:.9rem}
table.console th,table.console td{border-bottom:1px solid var(--border);padding:.3rem .4rem;text-align:start;vertical-align:top}
td.num,th.num{text-align:end}
table.audit-figures{width:auto;min-width:min(24rem,100%)}
.problem p{margin:.25rem 0}
div.problem{margin:1rem 0}
.console-form{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.5rem 1rem}
.console-form label{display:block;font-weight:600}
.console-form input,.console-form select{width:100%;box-sizing:border-box;padding:.4rem;font-size:1rem}
#export-progress progress{width:min(20rem,100%)}
#export-progress[hidden]{display:none}
.console-actions{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.75rem 0}
.problem{border:2px solid #a00000;padding:.6rem;border-radius:6px}
.ok{color:#1f6f3f;font-weight:600}.bad{color:#a00000;font-weight:600}
ol.chain{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;padding:0;align-items:center}
ol.chain li{border:1px solid var(--border);border-radius:6px;padding:.3rem .6rem;background:var(--panel)}
ol.chain li+li::before{content:"\2190";margin-inline-end:.4rem}
.decisions>li{margin-bottom:.75rem}
code{overflow-wrap:anywhere}
</style>`

// ExportInPageMax is the most records an export the search page downloads
// itself holds: the page keeps the file in memory until it is complete.
// A larger export, or one whose count stopped at a bound, is the
// browser's own download, streamed to disk.
const ExportInPageMax = 20000

// exportProgressJS shows the progress of an export on the search page:
// on a click on an export link it downloads the export with fetch,
// counts the records as they stream in (JSON Lines: lines; CSV: lines
// outside quotes, less the header) against the total the link carries,
// and saves the file when it is complete. An export of more than
// ExportInPageMax records, or of an unknown number (the count stopped at a
// bound), is left to the browser's own download, and the page says so. It
// listens on the document, so it keeps working when the wasm renders the
// page again. Without scripts, or without streamed bodies, the link
// downloads the file as it is.
var exportProgressJS = `(() => {
  if (!window.ReadableStream || !window.Blob || window.eulagateExport) return;
  window.eulagateExport = true;
  const $ = id => document.getElementById(id);
  let busy = false;
  document.addEventListener("click", async e => {
    const a = e.target.closest && e.target.closest("a[data-export]");
    if (!a || !$("export-progress") || !$("export-status")) return;
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const total = a.dataset.total ? Number(a.dataset.total) : NaN, csv = a.dataset.export === "csv";
    if (!(total <= ` + strconv.Itoa(ExportInPageMax) + `)) {
      $("export-status").textContent = $("export-progress").dataset.native;
      return;
    }
    e.preventDefault();
    if (busy) return;
    busy = true;
    // The elements are looked up each time: the wasm may render the page
    // again while the export runs.
    const show = (n, max) => {
      const box = $("export-progress"), bar = $("export-bar");
      box.hidden = false;
      bar.max = max; bar.value = Math.min(n, max);
      $("export-text").textContent = box.dataset.status.replace("{n}", n);
    };
    const say = key => { $("export-status").textContent = $("export-progress").dataset[key].replace("{n}", count()); };
    let lines = 0, quoted = false;
    const count = () => Math.max(csv ? lines - 1 : lines, 0);
    $("export-status").textContent = "";
    show(0, total);
    try {
      const r = await fetch(a.href, {credentials: "same-origin"});
      if (!r.ok || !r.body) throw new Error("export: HTTP " + r.status);
      const reader = r.body.getReader(), parts = [];
      for (;;) {
        const {done, value} = await reader.read();
        if (done) break;
        parts.push(value);
        for (const b of value) {
          if (csv && b === 34) quoted = !quoted;
          else if (b === 10 && !quoted) lines++;
        }
        show(count(), total);
      }
      const name = (/filename=([^;]+)/.exec(r.headers.get("Content-Disposition") || "") || [])[1] || "eulagate-records";
      const url = URL.createObjectURL(new Blob(parts, {type: r.headers.get("Content-Type") || ""}));
      const save = document.createElement("a");
      save.href = url; save.download = name; save.hidden = true;
      document.body.append(save); save.click(); save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      show(count(), Math.max(count(), 1));
      say("done");
    } catch (err) {
      say("failed");
    } finally {
      busy = false;
    }
  }, true);
})();`
