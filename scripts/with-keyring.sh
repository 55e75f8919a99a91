#!/usr/bin/env bash
# Runs CMD... inside a private D-Bus session with its own unlocked GNOME Keyring (Secret Service),
# so tests use a real keychain of their own and never the developer's. The keyring files live in a
# temporary XDG_DATA_HOME that is removed afterwards. Needs: dbus (dbus-run-session), gnome-keyring.
#   scripts/with-keyring.sh cargo nextest run -p fanbase-sync --test keychain
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

if [ -z "${FANBASE_KEYRING_SESSION:-}" ]; then
    for tool in dbus-run-session gnome-keyring-daemon; do
        command -v "$tool" >/dev/null || { echo "$0: $tool is missing: install the Debian packages dbus and gnome-keyring" >&2; exit 1; }
    done
    export FANBASE_KEYRING_SESSION=1
    exec dbus-run-session -- "$0" "$@"
fi

# Inside the private session bus.
home="$(mktemp -d)"
trap 'kill "${GNOME_KEYRING_PID:-}" 2>/dev/null || true; rm -rf "$home"' EXIT
export XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY
# --unlock reads the login keyring's password from stdin (created on first use).
eval "$(printf 'fanbase-test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL GNOME_KEYRING_PID
# Tells tests/keychain.rs that a private Secret Service is up (it refuses to run otherwise).
export FANBASE_TEST_KEYRING=1
"$@"
