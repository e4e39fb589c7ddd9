package goappfix

import "bytes"

// appJSPatches are the edits made to go-app v9.8.0's app.js, each an exact
// statement of it and what replaces it; TestAppJSPatches here and
// web's TestAppJSPatched fail if go-app changes one of them.
var appJSPatches = []struct{ old, new string }{
	// A wasm that fails to load shows boot.js's plain message in the
	// page's language, not a raw "TypeError: Failed to fetch".
	{
		"loaderLabel.innerText = err;",
		"if (window.eulagateWasmFailed) { eulagateWasmFailed(err); } else { loaderLabel.innerText = err; }",
	},
	// boot.js started fetching and compiling app.wasm in the page's head,
	// while the text was being parsed; go-app's own fetch would start only
	// now, after the whole page, and read the download in JavaScript on the
	// main thread to count progress. Then, before the wasm's first render
	// (a long task), the browser paints the whole page once
	// (eulagateAfterPaint): the plain form works meanwhile.
	{
		"    const wasm = await instantiateStreaming(\n      fetchWithProgress(\"" + WasmPath + "\", showProgress),\n      go.importObject\n    );",
		"    const wasm = window.eulagateWasm\n      ? { instance: await WebAssembly.instantiate(await window.eulagateWasm, go.importObject) }\n      : await instantiateStreaming(fetchWithProgress(\"" + WasmPath + "\", showProgress), go.importObject);\n" +
			"    await new Promise((painted) => (window.eulagateAfterPaint ? eulagateAfterPaint(painted) : setTimeout(painted, 0)));",
	},
	// go-app does not hydrate: its first render builds the page anew.
	// boot.js's takeover moves the prerendered text into it and keeps the
	// reader's place, right after, in the same task, before the browser
	// paints.
	{
		"    go.run(wasm.instance);",
		"    const eulagateTakeover = window.eulagate ? eulagate.takeover() : null;\n    go.run(wasm.instance);\n    if (eulagateTakeover) { eulagateTakeover(); }",
	},
}

// patchAppJS applies appJSPatches to go-app's app.js.
func patchAppJS(js []byte) []byte {
	for _, p := range appJSPatches {
		js = bytes.Replace(js, []byte(p.old), []byte(p.new), 1)
	}
	return js
}
