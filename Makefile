# Build, test and demo targets. Every target works on a fresh Debian 12
# machine as root: `make demo` and `make test` install what they need.

GO        ?= go
BIN       := bin
GOBIN_DIR := $(CURDIR)/.cache/bin
FUZZTIME  ?= 10m
# Short fuzz pass run by `make test`, per target.
TEST_FUZZTIME ?= 10s

export CGO_ENABLED := 0
export PATH := $(GOBIN_DIR):$(PATH)

.PHONY: all build deps test gotest fuzz-short fuzz lint bench demo testdata-check deb clean

all: build

## build: static bin/keepalived and bin/genhash
build:
	@mkdir -p $(BIN)
	$(GO) build -trimpath -ldflags '-s -w' -o $(BIN)/keepalived ./cmd/keepalived
	$(GO) build -trimpath -ldflags '-s -w' -o $(BIN)/genhash ./cmd/genhash

## deps: install (if missing) the Debian packages and tools the tests need
deps:
	GOBIN=$(GOBIN_DIR) GO=$(GO) bash scripts/deps.sh

## test: everything CI runs: deps, build, all tests, a short fuzz pass, lint
## (every stage runs even if an earlier one failed; the exit status says
## whether all passed)
test: deps build
	@st=0; failed=; \
	for t in gotest fuzz-short lint; do \
		$(MAKE) --no-print-directory $$t || { st=1; failed="$$failed $$t"; }; \
	done; \
	if [ $$st = 0 ]; then echo "make test: all stages passed"; \
	else echo "make test: FAILED:$$failed"; fi; \
	exit $$st

# The systemd VM's Debian root (minutes when cold) is built before go test,
# outside its per-package timeout (the tests would rebuild it if stale).
gotest:
	@if [ "$$(id -u)" = 0 ]; then bash scripts/vm/rootfs.sh >/dev/null; fi
	$(GO) test -count=1 ./...

fuzz-short:
	FUZZTIME=$(TEST_FUZZTIME) GO=$(GO) bash scripts/fuzz.sh

## fuzz: every fuzz target for FUZZTIME (default 10m) each
fuzz:
	FUZZTIME=$(FUZZTIME) GO=$(GO) bash scripts/fuzz.sh

## lint: gofmt, go vet, staticcheck
lint: deps
	GO=$(GO) bash scripts/lint.sh

## bench: parser benchmark and stock keepalived's time on the same file
bench: deps build
	$(GO) test -run '^$$' -bench 'BenchmarkLoad' -benchmem ./internal/e2e
	GO=$(GO) bash scripts/bench/parse.sh

## demo: build, check and run a sample config in a network namespace
demo: deps build
	bash scripts/demo.sh

## testdata-check: stock keepalived's verdicts on testdata/ against testdata/index.txt
testdata-check: deps
	bash scripts/testdata-check.sh

## deb: the gokeepalived Debian package in dist/ (scripts/deb/build.sh)
deb:
	GO=$(GO) bash scripts/deb/build.sh dist

clean:
	rm -rf $(BIN)
