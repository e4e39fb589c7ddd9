# eulagate: the two commands that matter are `make run` and `make test`.
# Everything they need is installed here when missing (Debian packages, npm
# packages, Go modules); nothing downloads a browser or binary of its own.

GO        ?= go
BIN       ?= eulagate
ADDR      ?= 127.0.0.1:8080
DATA      ?= data
WASM      := web/static/app.wasm
WASM_SRC  := $(shell find api app wasm eula -name '*.go' -not -name '*_test.go' 2>/dev/null) go.mod go.sum
STATIC    := $(filter-out %.br %.gz $(WASM),$(wildcard web/static/*))
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STATICCHECK_VERSION := v0.8.2
TESTFLAGS ?=
export GOFLAGS := -buildvcs=false

.PHONY: all build run test test-go test-engines vet lint deps deps-test deps-engines bench dist clean wasm fuzz fonts

all: build

## build: the wasm front end, then the one binary that embeds it.
build: $(BIN)

wasm: $(WASM).br

$(WASM): $(WASM_SRC)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm

$(WASM).br: $(WASM) $(STATIC)
	$(GO) run ./web/internal/precompress web/static
	@touch $@

$(BIN): $(WASM).br $(shell find . -name '*.go' -not -path './node_modules/*' -not -name '*_test.go') $(shell find locales -type f)
	$(GO) build -trimpath -o $@ .

## run: build and serve on http://127.0.0.1:8080 with the embedded defaults.
run: build
	./$(BIN) serve --addr $(ADDR) --data $(DATA)

## deps-test: what the tests need, installed when missing.
deps-test: node_modules/axe-core/axe.min.js
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "installing Debian's postgresql"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; }
	@sh scripts/engine-versions.sh chromium

## deps-engines: Firefox ESR, WebKitGTK's WebDriver and Xvfb, installed
## when missing, each checked against the minimum README.md states.
deps-engines: node_modules/axe-core/axe.min.js
	@{ command -v firefox-esr && command -v WebKitWebDriver && command -v xvfb-run; } >/dev/null 2>&1 || { \
		echo "installing Debian's firefox-esr, webkit2gtk-driver and xvfb"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb fonts-noto-cjk >/dev/null; }
	@sh scripts/engine-versions.sh firefox webkit

## test-engines: the browser tests in Firefox ESR and WebKitGTK
## (TestEngines; `make test` keeps Chromium).
test-engines: deps-engines build
	EULAGATE_ENGINES=firefox,webkit $(GO) test -count=1 -timeout 20m -run '^TestEngines$$' -v ./web/

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	@touch $@

## test: install what is missing, build, vet, lint and run every test
## (browser tests in headless Chromium, the stores on SQLite and on a
## throwaway PostgreSQL).
test: deps-test build vet lint
	sh scripts/pgtest.sh run $(GO) test -count=1 $(TESTFLAGS) ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm ./app/...

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...

lint:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

## bench: benchmarks, printed as ratios against baselines measured in the same run,
## one package at a time (-p 1: two benchmark binaries side by side would share
## the two cores, each measuring the other). It ends with issue 21's figures in
## one table (internal/benchsummary).
bench: deps-test build
	@summary=$$(mktemp); \
	EULAGATE_BENCH_SUMMARY=$$summary sh scripts/pgtest.sh run $(GO) test -p 1 -run '^$$' -bench . -benchtime 1x -count 1 -timeout 60m ./...; code=$$?; \
	$(GO) run ./internal/benchsummary/table $$summary; rm -f $$summary; exit $$code

## fuzz: run each fuzz target for a while (FUZZTIME, default 30s), one at a
## time; a failing target does not stop the others, and all failures are
## listed at the end (their inputs are saved in the package's testdata/fuzz).
FUZZTIME ?= 30s
fuzz:
	@failed=""; for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || failed="$$failed $$pkg.$$f"; \
		done; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi

## fonts: cut the shipped fonts (locales/fonts) to the characters that the
## documents and catalogs use, with fontTools; the result is committed, so
## building needs none of this.
fonts:
	@[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] && /usr/bin/python3 -c 'import fontTools.subset, brotli' 2>/dev/null || { \
		echo "installing Debian's fonts-noto-cjk, python3-fonttools and python3-brotli"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk python3-fonttools python3-brotli >/dev/null; }
	$(GO) run ./locales/fonts/internal/subset

## dist: the binary for linux/amd64, linux/arm64 and windows/amd64 (no cgo).
dist: wasm
	@mkdir -p dist
	CGO_ENABLED=0 GOOS=linux   GOARCH=amd64 $(GO) build -trimpath -o dist/eulagate-linux-amd64 .
	CGO_ENABLED=0 GOOS=linux   GOARCH=arm64 $(GO) build -trimpath -o dist/eulagate-linux-arm64 .
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -trimpath -o dist/eulagate-windows-amd64.exe .

clean:
	rm -rf $(BIN) dist web/static/app.wasm web/static/*.br web/static/*.gz
