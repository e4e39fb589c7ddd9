// Package headless starts Debian's Chromium for browser tests and hands
// back a chromedp context.
//
// # Flags
//
// Chromium runs with --headless --no-sandbox --disable-gpu
// --disable-background-networking --disable-component-update --no-first-run
// and a fresh --user-data-dir per test: this machine's network is closed,
// and without the background-networking flags Chromium keeps trying to
// reach Google's hosts.
//
// # Missing Chromium
//
// Where no Chromium is installed, tests skip loudly; with CI=true they fail
// instead, since `make test` installs it.
package headless
