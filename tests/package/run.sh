#!/usr/bin/env bash
# Installs the .deb that scripts/package builds on this machine and uses it the
# way a person would: the installed app, started from a folder outside the
# clone with a fresh data folder and no --notes, must list the five bundled
# notes (checked through WebDriver under Xvfb), and the installed CLI must find
# a Goroutine card for "gorutine". Then the package is removed again, with
# anything its installation pulled in.
#
#   tests/package/run.sh        as root; scripts/test runs it last
#
# Installed binaries never read the clone's notes/ or models/ (src/resources.rs),
# so a package that lacks them fails here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf 'package test: %s\n' "$*" >&2; exit 1; }

((EUID == 0)) || fail "installs a package on this machine, so it must run as root."
# A Rehearse someone installed is theirs: this test would replace it and then
# remove it.
if dpkg-query -W -f='${Status}' rehearse 2>/dev/null | grep -q 'install ok installed'; then
  fail "the rehearse package is already installed here; remove it first (apt-get remove rehearse)."
fi

"$ROOT/scripts/setup" --test --package
"$ROOT/scripts/package"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

shopt -s nullglob
debs=("$ROOT"/target/release/bundle/deb/*.deb)
((${#debs[@]} == 1)) || fail "expected one .deb from scripts/package, found ${#debs[@]}."
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)"
[[ -n "$version" ]] || fail "no workspace version in Cargo.toml."

work="$(mktemp -d /tmp/rehearse-package-test.XXXXXX)"
packages_before="$work/packages-before"
dpkg-query -W -f='${binary:Package}\n' | sort >"$packages_before"

remove_package() {
  say "Removing the package"
  DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq rehearse >/dev/null || true
  # Whatever the installation pulled in goes too, so the machine is as it was.
  local added
  added="$(dpkg-query -W -f='${binary:Package}\n' | sort | comm -13 "$packages_before" -)"
  if [[ -n "$added" ]]; then
    # shellcheck disable=SC2086 # one package name per word
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq $added >/dev/null || true
  fi
  rm -rf "$work"
}
trap remove_package EXIT

say "Installing $(basename "${debs[0]}")"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[0]}" >/dev/null
[[ "$(dpkg-query -W -f='${Version}' rehearse)" == "$version" ]] ||
  fail "the installed package is not version $version."
for program in rehearse rehearse-app; do
  [[ "$(command -v "$program")" == "/usr/bin/$program" ]] || fail "$program is not /usr/bin/$program on the PATH."
  [[ "$("/usr/bin/$program" --version)" == "$program $version" ]] ||
    fail "/usr/bin/$program --version does not print \"$program $version\"."
done

# Nothing from the clone or the caller's environment may point the installed
# programs at files: they must find their own. They run in a network namespace
# with only loopback up (WebDriver talks over it), as on a machine offline.
outside=(env -u REHEARSE_NOTES_DIR -u REHEARSE_MODEL_DIR -u REHEARSE_DATA_DIR
  unshare --net -- bash -c 'ip link set lo up && exec "$@"' offline)
mkdir -p "$work/cwd" "$work/cli-data"
cd "$work/cwd"

say "The installed CLI: rehearse search gorutine"
"${outside[@]}" /usr/bin/rehearse --data "$work/cli-data" --json search gorutine >"$work/search.json"
python3 - "$work/search.json" <<'PY' || fail "rehearse search gorutine printed no Goroutine card from the bundled notes."
import json, sys
hits = json.load(open(sys.argv[1]))["hits"]
cards = [h for h in hits if "goroutine" in h["title"].lower() and h["id"].startswith("golang-deltas.md#")]
for h in hits[:3]:
    print(f"  {h['title']}  ({h['id']})")
sys.exit(0 if cards else 1)
PY

say "The installed CLI loads its model: rehearse search --meaning"
# On one small note: embedding the five bundled notes takes a minute here.
mkdir -p "$work/small-notes"
printf '# Systems\n\n## What is sharding?\n\nSharding splits the rows of a table across machines.\n' \
  >"$work/small-notes/systems.md"
"${outside[@]}" /usr/bin/rehearse --notes "$work/small-notes" --data "$work/meaning-data" --json \
  search --meaning "split a big database over many servers" >/dev/null 2>"$work/meaning.err" ||
  fail "rehearse search --meaning failed: $(cat "$work/meaning.err")"
# Without its model the CLI still answers, by words, and says why on stderr.
if grep -qi model "$work/meaning.err"; then
  fail "the installed CLI did not load the model it ships: $(cat "$work/meaning.err")"
fi

say "The installed app, through WebDriver"
"${outside[@]}" env REHEARSE_APP=/usr/bin/rehearse-app \
  xvfb-run -a -s "-screen 0 1400x900x24" node "$ROOT/tests/e2e/run.mjs" package/installed.test.mjs

say "The installed package works"
