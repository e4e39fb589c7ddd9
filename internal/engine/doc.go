// Package engine starts Debian's Firefox ESR and WebKitGTK for browser
// tests and drives them with a small, common set of actions (Browser):
// open a URL, evaluate JavaScript in the page or its iframe, take a
// screenshot.
//
// # Protocols
//
// Firefox ESR is driven over WebDriver BiDi, which it serves itself
// (--remote-debugging-port; no geckodriver). WebKitGTK is driven over
// classic WebDriver by WebKitWebDriver (Debian's webkit2gtk-driver), which
// starts MiniBrowser; MiniBrowser has no headless mode in WebKitGTK 4.1, so
// WebKitWebDriver runs under xvfb-run (Debian's xvfb).
//
// Both take JavaScript as a function body and return its result as JSON
// (the script's value through JSON.stringify), so that a test reads the
// same Go values from either engine.
//
// # Missing engines
//
// Where an engine is not installed, New skips the test loudly; with
// EULAGATE_ENGINES set (as `make test-engines` does) it fails instead,
// since that target installs them.
package engine
