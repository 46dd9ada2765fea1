# ARLens: `make pack` and `make test` work on a fresh Debian machine with Swift.
# Both install the missing system packages first (as root, or through sudo).

SWIFT        ?= swift
APT_PACKAGES := libcairo2-dev zlib1g-dev pkg-config fonts-dejavu-core poppler-utils libpq-dev
DATA         ?= datasets/sample
BENCH_DIR    ?= .build-bench-data
BENCH_ROWS   ?= 1000000

SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
export DEBIAN_FRONTEND := noninteractive

PREFIX       ?= /usr/local
SHARE         = $(DESTDIR)$(PREFIX)/share

.PHONY: all deps test-deps bench-postgres build release pack test install uninstall bench bench-forecast bench-anomalies clean fuzz fuzz-build fuzz-replay

all: build

# Install only what is missing; a machine that has everything is not touched.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The integration tests run a throw-away PostgreSQL server: its binaries, when missing.
test-deps: deps
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  echo "Installing system packages: postgresql"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends postgresql; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product arlens

# The monthly pack for the bundled sample's last complete month, into output/<month>/.
pack: release
	@mkdir -p output
	.build/release/arlens pack --data $(DATA) --out output

# The binary, its templates and the sample ledger (PREFIX/share/arlens, where the binary
# looks for them), the man page and shell completions. `make install PREFIX=$$HOME/.local`.
install: release
	$(SWIFT) package plugin generate-manual
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/arlens $(SHARE)/man/man1 $(SHARE)/bash-completion/completions \
	  $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d
	install -m 755 .build/release/arlens $(DESTDIR)$(PREFIX)/bin/arlens
	rm -rf $(SHARE)/arlens/report-templates $(SHARE)/arlens/sample
	cp -R report-templates $(SHARE)/arlens/report-templates
	cp -R datasets/sample $(SHARE)/arlens/sample
	install -m 644 .build/plugins/GenerateManual/outputs/arlens/arlens.1 $(SHARE)/man/man1/arlens.1
	.build/release/arlens --generate-completion-script bash > $(SHARE)/bash-completion/completions/arlens
	.build/release/arlens --generate-completion-script zsh > $(SHARE)/zsh/site-functions/_arlens
	.build/release/arlens --generate-completion-script fish > $(SHARE)/fish/vendor_completions.d/arlens.fish
	@echo "installed $(DESTDIR)$(PREFIX)/bin/arlens; try: arlens demo"

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/arlens $(SHARE)/arlens $(SHARE)/man/man1/arlens.1 \
	  $(SHARE)/bash-completion/completions/arlens $(SHARE)/zsh/site-functions/_arlens $(SHARE)/fish/vendor_completions.d/arlens.fish

test: test-deps
	$(SWIFT) test
	$(SWIFT) build --product arlens-fuzz
	.build/debug/arlens-fuzz fuzz/corpus fuzz/regressions

# Fuzzing with libFuzzer (swiftc -sanitize=fuzzer,address) on the CSV scanner, the amount and
# date parsers, the loader over a whole folder and the arlens.yml reader. FUZZ_SECONDS per
# target; new inputs go to fuzz/work/ (not committed), crashes to fuzz/crashes/. Commit a
# crash as fuzz/regressions/<target>/<name> once fixed: `make test` replays it.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= csv amount date ledger config export
FUZZ_BIN     := .build-fuzz/debug/arlens-fuzz

fuzz-build: deps
	$(SWIFT) build --scratch-path .build-fuzz --product arlens-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING

fuzz: fuzz-build
	@mkdir -p fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/work/$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no ARLENS_FUZZ_TARGET=$$t $(FUZZ_BIN) fuzz/work/$$t fuzz/corpus/$$t \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=fuzz/crashes/$$t- -print_final_stats=1 || exit 1; \
	done

# The committed corpus and regression inputs under AddressSanitizer (the libFuzzer build runs
# each file once).
fuzz-replay: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  files=$$(find fuzz/corpus/$$t fuzz/regressions/$$t -type f 2>/dev/null); \
	  [ -z "$$files" ] || SWIFT_BACKTRACE=enable=no ARLENS_FUZZ_TARGET=$$t $(FUZZ_BIN) -runs=0 $$files || exit 1; \
	done

# Speed and memory on a generated ledger of $(BENCH_ROWS) invoices (written once, then reused).
bench: deps
	$(SWIFT) build -c release --product arlens
	$(SWIFT) build -c release --product arlens-bench
	@[ -f $(BENCH_DIR)/$(BENCH_ROWS)/invoices.csv ] || \
	  .build/release/arlens generate --out $(BENCH_DIR)/$(BENCH_ROWS) --scale invoices=$(BENCH_ROWS)
	@echo "== load: the tables the KPIs read (invoices, customers, payments, applications, adjustments, rates)"
	ARLENS_BENCH_TABLES=core .build/release/arlens-bench $(BENCH_DIR)/$(BENCH_ROWS)
	@echo "== the snapshot of the core tables: written once, then read (a ready ledger), then the analyst's questions on it"
	ARLENS_BENCH_TABLES=core ARLENS_BENCH_SNAPSHOT=1 .build/release/arlens-bench $(BENCH_DIR)/$(BENCH_ROWS)
	@echo "== load: every table, then every KPI for every month and aging by customer"
	ARLENS_BENCH_ANALYTICS=1 .build/release/arlens-bench $(BENCH_DIR)/$(BENCH_ROWS)
	@echo "== forecasting"
	.build/release/arlens-bench --ets
	@[ ! -f $(PANEL)/panel.csv ] || .build/release/arlens-bench --panel $(PANEL)
	@echo "== charts"
	.build/release/arlens-bench --charts
	@echo "== the whole pack: the bundled sample, then the 1M-invoice ledger"
	@bash -c 'time .build/release/arlens pack --data $(DATA) --out $(BENCH_DIR)/packs'
	@bash -c 'time .build/release/arlens pack --data $(BENCH_DIR)/$(BENCH_ROWS) --out $(BENCH_DIR)/packs-$(BENCH_ROWS)'
	@echo "== collections on the 1M-invoice ledger: worklist, credit, notices (HTML + PDF per account)"
	@bash -c 'time .build/release/arlens worklist --data $(BENCH_DIR)/$(BENCH_ROWS) --format json > /dev/null'
	@bash -c 'time .build/release/arlens credit --data $(BENCH_DIR)/$(BENCH_ROWS) --format csv > /dev/null'
	@bash -c 'time .build/release/arlens notices --data $(BENCH_DIR)/$(BENCH_ROWS) --out $(BENCH_DIR)/notices-$(BENCH_ROWS)'
	@echo "== the clerk's desk on the 1M-invoice ledger: one account, policy, statements for every account"
	@bash -c 'time .build/release/arlens customer C00037 --data $(BENCH_DIR)/$(BENCH_ROWS) > /dev/null'
	@bash -c 'time .build/release/arlens policy --data $(BENCH_DIR)/$(BENCH_ROWS) --format csv > /dev/null'
	@bash -c 'time .build/release/arlens statement --all --data $(BENCH_DIR)/$(BENCH_ROWS) --out $(BENCH_DIR)/statements-$(BENCH_ROWS)'
	@echo "== the clerk's day on the 1M-invoice ledger: today, and precheck of 1,000 drafts (5% copies of ledger invoices, 5% of other drafts)"
	@[ -f $(BENCH_DIR)/drafts-1000.csv ] || python3 scripts/make_drafts.py $(BENCH_DIR)/$(BENCH_ROWS) $(BENCH_DIR)/drafts-1000.csv 1000
	@bash -c '/usr/bin/time -f "today: %e s, %M KB peak" .build/release/arlens today --data $(BENCH_DIR)/$(BENCH_ROWS) > /dev/null'
	@bash -c '/usr/bin/time -f "precheck: %e s, %M KB peak" .build/release/arlens precheck $(BENCH_DIR)/drafts-1000.csv --data $(BENCH_DIR)/$(BENCH_ROWS) --format csv > /dev/null; [ $$? -le 3 ]'
	@echo "== where a warm command's time goes (ARLENS_PROFILE=1: phases on stderr; the first run writes the snapshot)"
	.build/release/arlens kpi ar --data $(BENCH_DIR)/$(BENCH_ROWS) > /dev/null
	ARLENS_PROFILE=1 .build/release/arlens kpi ar,billings,collections,dso,cei --data $(BENCH_DIR)/$(BENCH_ROWS) --format json > /dev/null
	ARLENS_PROFILE=1 .build/release/arlens aging --by customer --data $(BENCH_DIR)/$(BENCH_ROWS) --format json > /dev/null
	@echo "== arlens kpi dso,cei (a whole run) against DuckDB over the same CSVs; then kpi (24 months) + aging --by customer,"
	@echo "   two processes, cold (--no-cache) and warm (snapshot), interleaved with DuckDB's same job, median of 5"
	python3 scripts/bench_duckdb.py $(BENCH_DIR)/$(BENCH_ROWS) .build/release/arlens
	@echo "== PostgreSQL: load, kpi and aging with and without --pushdown (make bench-postgres)"
	scripts/bench_postgres.sh .build/release/arlens $(BENCH_DIR)/$(BENCH_ROWS) $(BENCH_BIG)

# The PostgreSQL source and --pushdown on the 1M-invoice ledger, against the CSV folder, on a
# throw-away cluster; BENCH_BIG=10000000 also generates that many invoices (not committed),
# exports them and runs --pushdown, with the ARLens process's peak memory.
BENCH_BIG    ?=
bench-postgres: test-deps
	$(SWIFT) build -c release --product arlens
	@[ -f $(BENCH_DIR)/$(BENCH_ROWS)/invoices.csv ] || \
	  .build/release/arlens generate --out $(BENCH_DIR)/$(BENCH_ROWS) --scale invoices=$(BENCH_ROWS)
	scripts/bench_postgres.sh .build/release/arlens $(BENCH_DIR)/$(BENCH_ROWS) $(BENCH_BIG)

# Forecast accuracy on the panel of real monthly series (the last 12 and 24 months held out):
# mean and median MASE and sMAPE, the geometric mean of ARLens's MASE over each peer's,
# interval coverage and time per series. METHOD=ets|arima|theta|combination compares one part.
PANEL        ?= ../shared/datasets/forecast-panel
METHOD       ?= auto
bench-forecast: deps
	$(SWIFT) build -c release --product arlens-bench
	.build/release/arlens-bench --panel $(PANEL) $(METHOD)

# The anomaly rules on ledgers of each generator profile and seed: recall and precision per
# planted kind, then the false alarms on the same ledger generated with nothing planted. The
# ledgers are written again whenever arlens is newer than they are (a changed generator).
# make bench-anomalies PROFILES="distributor wholesale services" SEEDS="42 7"
PROFILES     ?= distributor wholesale services
SEEDS        ?= 42 7
ANOMALY_DIR  ?= .build-anomaly-data
bench-anomalies: release
	@for p in $(PROFILES); do for s in $(SEEDS); do \
	  for a in some none; do \
	    d=$(ANOMALY_DIR)/$$p-$$s-$$a; \
	    [ $$d/invoices.csv -nt .build/release/arlens ] || .build/release/arlens generate --out $$d --seed $$s --profile $$p --anomalies $$a >/dev/null || exit 1; \
	    echo "== profile $$p, seed $$s, anomalies $$a: arlens anomalies --data $$d --truth $$d/_truth/anomalies.csv"; \
	    .build/release/arlens anomalies --data $$d --truth $$d/_truth/anomalies.csv || exit 1; \
	  done; done; done

clean:
	rm -rf .build .build-fuzz $(BENCH_DIR) $(ANOMALY_DIR) fuzz/work
