# Fanbase: `make run` opens the app, `make test` runs every check. Both install what is missing
# on a fresh Debian/Ubuntu machine and skip what is already there.

SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/fanbase-target
export PATH := $(HOME)/.cargo/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file pkg-config libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev libxdo-dev xvfb xauth webkit2gtk-driver \
	gnome-keyring dbus dbus-x11 libdbus-1-dev sqlite3 python3
APP := $(CARGO_TARGET_DIR)/debug/fanbase-desktop
CLI := $(CARGO_TARGET_DIR)/debug/fanbase
E2E_ENV := WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 FANBASE_APP=$(APP)

.PHONY: run test deps prune-cache deps-system deps-ui deps-driver ui build lint rust-test ui-test e2e screenshot demo-platform bench-campaign bench-sync bench-import fuzz-import bench-segments bench-contacts bench-scroll

run: deps build
	$(APP)

test: deps lint rust-test ui-test build e2e

deps: prune-cache deps-system deps-ui deps-driver

# The shared cargo folder keeps rustc's incremental caches for every checkout that built into it
# (each clone path gets its own): drop the ones unused for a day, so repeated CI runs on one machine
# do not fill its disk (they had reached 27 GB here).
prune-cache:
	@find "$(CARGO_TARGET_DIR)/debug/incremental" -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} + 2>/dev/null || true

deps-system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

deps-ui:
	@if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		cd ui && npm ci --no-audit --no-fund; \
	fi

deps-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

ui:
	cd ui && npm run build

build: ui
	cargo build -p fanbase-desktop -p fanbase-cli

# Clippy compiles the desktop crate, whose generate_context! embeds ui/dist: build the UI first.
lint: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# Inside a private D-Bus session with its own unlocked GNOME Keyring, so the keychain tests
# (crates/fanbase-sync/tests/keychain.rs) use a real Secret Service and never the developer's.
# Both test targets select the whole workspace (a filter picks the tests), so cargo resolves the
# same features for both and the end-to-end tests reuse every dependency the Rust tests built.
rust-test:
	scripts/with-keyring.sh cargo nextest run --workspace -E 'not package(fanbase-e2e)'

ui-test:
	cd ui && npm test

# A local stand-in for the hosted platform with sample data (2 stores of 20,000 fans, 300 users):
# it prints the deployment URL and an admin and a creator token to sign in with. Ctrl-C stops it.
demo-platform:
	cargo run -p fanbase-emulator -- --port 3210 --seed-customers 20000 --seed-users 300 --seed-events 5000

# Campaigns: render and queue 50,000 personalized messages, then send to a loopback SMTP sink at
# 50–400 msg/s; prints the figures (release build).
bench-campaign:
	cargo run --release -p fanbase-campaign --features test-smtp --example bench_campaign

# Sync: pull 100,000 customers from the local emulator into a fresh database file and push 10,000
# changes back; prints the times and ratios against raw HTTP measured in the same run (release build).
bench-sync:
	cargo run --release -p fanbase-sync --example bench_sync

# CSV import: generates a 1,000,000-row ActiveCampaign export (../shared/tools/gen_fans.py) and times
# `fanbase import` against sqlite3's own `.import --csv` of the same file; prints the ratio, the
# peak memory and a 50,000-row timing (release build). BENCH_ROWS=N for another size.
BENCH_ROWS ?= 1000000
bench-import:
	bash scripts/bench-import.sh $(BENCH_ROWS)

# Segments and scoring: on 1,000,000 demo fans (and ~1,000,000 events) in a database file, counts a
# 6-condition segment in 3 nested groups (goal < 100 ms) and recomputes every score (goal < 5 s);
# prints wall and CPU figures beside a plain count measured in the same run (release build).
SEGMENT_ROWS ?= 1000000
bench-segments:
	cargo run --release -p fanbase-segments --example bench_segments -- $(SEGMENT_ROWS)

# Contacts view: on 1,000,000 demo fans in a temp database file, the first page of every sort
# (goal < 20 ms), prefix searches (< 50 ms), exact counts with a filter (< 100 ms) and bulk-tagging
# 100,000 fans with their outbox rows (< 2 s); each figure beside the goal and a LIKE scan measured
# in the same run (release build). CONTACT_ROWS=N for another size.
CONTACT_ROWS ?= 1000000
bench-contacts:
	cargo run --release -p fanbase-core --example bench_contacts -- --rows $(CONTACT_ROWS)

# Scrolling the real window from top to bottom on SCROLL_ROWS demo fans (goal: no frame over 100 ms);
# prints frame-interval figures beside the idle frame interval of the same run.
SCROLL_ROWS ?= 1000000
bench-scroll: build
	xvfb-run -a -s "-screen 0 1280x800x24" env $(E2E_ENV) cargo run -p fanbase-e2e --example bench_scroll -- $(SCROLL_ROWS) $(SCROLL_DB)

# Fuzz the CSV parser with cargo-fuzz (libFuzzer; RUSTC_BOOTSTRAP=1 allows its nightly flag on
# stable) for FUZZ_SECONDS, starting from the import's fixture files.
FUZZ_SECONDS ?= 300
fuzz-import:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	mkdir -p fuzz/corpus/parse_csv
	cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run parse_csv corpus/parse_csv ../crates/fanbase-import/tests/fixtures \
		-- -max_total_time=$(FUZZ_SECONDS) -max_len=65536

e2e: build
	scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24" env $(E2E_ENV) \
		cargo nextest run --workspace -E 'package(fanbase-e2e)' -j 1 --no-fail-fast

# The README's screenshot: the real window on 20,000 demo fans.
screenshot: build
	FANBASE_SCREENSHOT=$(CURDIR)/docs/screenshot.png xvfb-run -a -s "-screen 0 1280x800x24" env $(E2E_ENV) \
		cargo nextest run --workspace -E 'package(fanbase-e2e) and test(shows_the_exact_count)' -j 1
