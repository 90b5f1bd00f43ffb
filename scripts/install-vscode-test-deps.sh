#!/usr/bin/env bash
# Idempotent installer for the real-VS-Code integration tests (code-server path).
#
#   - Debian packages: libkrb5-dev (code-server's native build), chromium (headless browser)
#   - Node 24 (npm package `node@24`) and code-server (npm) into a cache dir
#
# Fast when everything is already present (no network access at all then).
# Usage: bash scripts/install-vscode-test-deps.sh   (as root on Debian bookworm)
# Env:   VSCODE_TEST_CACHE  cache dir (default: ${XDG_CACHE_HOME:-~/.cache}/nginx-ls-vscode-test: outside the
#                            work tree, so a fresh clone of the repository (as CI makes) still finds it)
#        CODE_SERVER_VERSION (default: 4.139.1)
set -euo pipefail

CACHE="${VSCODE_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nginx-ls-vscode-test}"
CS_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE_DIR="$CACHE/node24"
CS_DIR="$CACHE/code-server"
t0=$(date +%s)
log() { echo "[install-vscode-test-deps] $*"; }

# npm without the outer npm's exported configuration (see the file for why)
source "$(dirname "$0")/lib/clean-npm.sh"

# ---- Debian packages -------------------------------------------------------
need_apt=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# code-server's native modules build with node-gyp: needs a compiler, make, python3
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# fonts so that screenshots show text (chromium pulls some in; make sure)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# ---- Node 24 -------------------------------------------------------------------
NODE24="$NODE_DIR/node_modules/node/bin/node"
if [ ! -x "$NODE24" ] || ! "$NODE24" --version 2>/dev/null | grep -q '^v24\.'; then
  log "npm install node@24 -> $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  echo '{"name":"vscode-test-node24","private":true}' > "$NODE_DIR/package.json"
  clean_npm npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error node@24
fi
"$NODE24" --version | grep -q '^v24\.' || { log "node 24 install failed"; exit 1; }
NODE24_BIN="$(dirname "$(readlink -f "$NODE24")")"
# Headers for native modules: Node 24's own (the npm package ships include/), not a global nodedir
# that may point at another Node's headers; node-gyp cannot download headers without internet.
NODE24_ROOT="$(dirname "$NODE24_BIN")"

# ---- code-server ---------------------------------------------------------------
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"
CS_STAMP="$CS_DIR/.installed-$CS_VERSION"
if [ ! -f "$CS_STAMP" ] || [ ! -f "$CS_BIN" ]; then
  log "npm install code-server@$CS_VERSION -> $CS_DIR (builds native modules, takes a few minutes)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  echo '{"name":"vscode-test-code-server","private":true}' > "$CS_DIR/package.json"
  # code-server requires Node 24 for its postinstall and at run time.
  # Fail fast (not after minutes of building) if the nested npm would still see another Node.
  # npm exec -c shows the environment npm gives a package's install scripts.
  ua="$(cd "$CS_DIR" && PATH="$NODE24_BIN:$PATH" clean_npm npm exec -c 'echo "$npm_config_user_agent"')"
  case "$ua" in *node/v24.*) ;; *) log "nested npm reports user agent '$ua', not Node 24"; exit 1 ;; esac
  nodedir=()
  if [ -f "$NODE24_ROOT/include/node/node_version.h" ]; then nodedir=(--nodedir="$NODE24_ROOT"); fi
  PATH="$NODE24_BIN:$PATH" clean_npm npm install "${nodedir[@]}" --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error \
    --unsafe-perm "code-server@$CS_VERSION"
  [ -f "$CS_BIN" ] || { log "code-server install failed ($CS_BIN missing)"; exit 1; }
  touch "$CS_STAMP"
fi

log "ok: node $("$NODE24" --version), code-server $CS_VERSION, chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') ($(( $(date +%s) - t0 ))s)"
