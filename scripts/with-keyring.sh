#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so keychain tests
# hit a real Secret Service and never the user's own keychain. A fresh temp HOME keeps the
# daemon's keyring files (and anything else a test forgets to redirect) away from the real HOME.
set -euo pipefail

if [ "${SWITCHBOARD_KEYRING_SESSION:-}" = "1" ]; then
  exec "$@"
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: '$tool' is missing. Install it (Debian/Ubuntu: sudo apt-get install dbus gnome-keyring), or run 'bash .ci/run' which installs it." >&2
    exit 1
  fi
done

# MCP clients strip the environment (no DBUS_SESSION_BUS_ADDRESS), and the bridge then finds the
# session bus where a desktop session keeps it, /run/user/<uid>/bus. Tests see the same: a private
# mount namespace gets its own empty /run/user (the real one is hidden, never touched) and the test
# session's bus listens there. As root `unshare -m`; otherwise a user namespace (`-r`) allows it.
if [ -z "${SWITCHBOARD_KEYRING_NS:-}" ] && [ "$(uname -s)" = "Linux" ]; then
  export SWITCHBOARD_KEYRING_NS=1
  if unshare -m true 2>/dev/null; then exec unshare -m bash "$0" "$@"; fi
  if unshare -rm true 2>/dev/null; then exec unshare -rm bash "$0" "$@"; fi
  echo "with-keyring: cannot make a private mount namespace (unshare -m / -rm); tests that spawn the bridge as a client does will not find a session bus" >&2
  export SWITCHBOARD_KEYRING_NS=unavailable
fi
uid=$(id -u)
runtime_dir=""
if [ "${SWITCHBOARD_KEYRING_NS:-}" = "1" ]; then
  if mkdir -p /run/user 2>/dev/null && mount -t tmpfs -o mode=755 switchboard-test-run-user /run/user; then
    runtime_dir="/run/user/$uid"
    mkdir -m 700 "$runtime_dir"
    export XDG_RUNTIME_DIR="$runtime_dir"
  else
    echo "with-keyring: cannot mount a private /run/user; tests that spawn the bridge as a client does will not find a session bus" >&2
  fi
fi

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/sb-keyring-home.XXXXXX")
trap 'rm -rf "$keyring_home"' EXIT
# npm's cache stays where it was: only the keyring and tests see the temp HOME.
export npm_config_cache="${npm_config_cache:-$(npm config get cache 2>/dev/null || echo "$HOME/.npm")}"
export HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/.local/share" XDG_CONFIG_HOME="$keyring_home/.config"
export SWITCHBOARD_KEYRING_SESSION=1
# `--unlock` returns before the daemon owns org.freedesktop.secrets on the bus. A client that asks
# in that gap makes D-Bus start a second daemon, and the two race: seen as a flaky "Message
# recipient disconnected" in CI and in 7 of 20 bare sessions. So wait (≤ 5 s) for the name first.
bus_config="$keyring_home/session-bus.conf"
{
  echo '<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">'
  echo '<busconfig><include>/usr/share/dbus-1/session.conf</include>'
  [ -n "$runtime_dir" ] && echo "<listen>unix:path=$runtime_dir/bus</listen>"
  echo '</busconfig>'
} >"$bus_config"
exec dbus-run-session --config-file="$bus_config" -- sh -c '
  echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 ||
    { echo "with-keyring: gnome-keyring-daemon failed to unlock" >&2; exit 1; }
  tries=0
  until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || { echo "with-keyring: the Secret Service did not come up on the session bus" >&2; exit 1; }
    sleep 0.1
  done
  exec "$@"' sh "$@"
