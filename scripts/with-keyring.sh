#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so keychain tests
# hit a real Secret Service and never the user's own keychain. A fresh temp HOME keeps the
# daemon's keyring files (and anything else a test forgets to redirect) away from the real HOME.
set -euo pipefail

if [ "${SWITCHBOARD_KEYRING_SESSION:-}" = "1" ]; then
  exec "$@"
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: '$tool' is missing. Install it (Debian/Ubuntu: sudo apt-get install dbus gnome-keyring), or run 'bash .ci/run' which installs it." >&2
    exit 1
  fi
done

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/sb-keyring-home.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
# npm's cache stays where it was: only the keyring and tests see the temp HOME.
export npm_config_cache="${npm_config_cache:-$(npm config get cache 2>/dev/null || echo "$HOME/.npm")}"
export HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/.local/share" XDG_CONFIG_HOME="$keyring_home/.config"
export SWITCHBOARD_KEYRING_SESSION=1
exec dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || { echo "with-keyring: gnome-keyring-daemon failed to unlock" >&2; exit 1; }; exec "$@"' sh "$@"
