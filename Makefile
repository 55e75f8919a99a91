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

.PHONY: run test deps deps-system deps-ui deps-driver ui build lint rust-test ui-test e2e screenshot

run: deps build
	$(APP)

test: deps lint rust-test ui-test build e2e

deps: deps-system deps-ui deps-driver

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

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

rust-test:
	cargo nextest run --workspace --exclude fanbase-e2e

ui-test:
	cd ui && npm test

e2e: build
	xvfb-run -a -s "-screen 0 1280x800x24" $(E2E_ENV) cargo nextest run -p fanbase-e2e -j 1 --no-fail-fast

# The README's screenshot: the real window on 20,000 demo fans.
screenshot: build
	FANBASE_SCREENSHOT=$(CURDIR)/docs/screenshot.png xvfb-run -a -s "-screen 0 1280x800x24" $(E2E_ENV) \
		cargo nextest run -p fanbase-e2e -j 1 shows_the_exact_count
