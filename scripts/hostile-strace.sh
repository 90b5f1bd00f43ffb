#!/usr/bin/env bash
# hostile-strace.sh — checks with strace that the built language server opens no file outside the
# workspace for a configuration that tries to make it (issue 19): absolute includes of /etc and /proc,
# `include /**/*;`, a pathMap onto /etc, a FIFO, a `rootfs -> /` link. Paths the server opens for a
# benign workspace (Node itself, dist/, locale data) are the baseline; anything else opened for the
# hostile one must lie inside its workspace. Exit 0: clean; 1: a file was opened outside; 2: setup.
set -u
command -v strace >/dev/null || { echo "skipped: strace not installed"; exit 0; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$ROOT/dist/server.js" ] || { echo "dist/server.js missing: npm run build" >&2; exit 2; }
PROBE=${PROBE:-$ROOT/../shared/tools/lsp-probe.mjs}
[ -f "$PROBE" ] || { echo "skipped: $PROBE not found"; exit 0; }
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
opened() { # workspace-dir log -> paths opened (successfully or not) by any thread
  grep -oE 'open(at)?\([^"]*"[^"]+"' "$2" | sed -E 's/.*"([^"]+)"$/\1/' | sort -u
}
run() { # dir file log
  NGINX_LS="strace -f -qq -e trace=open,openat,openat2 -o $3 node $ROOT/dist/server.js --stdio" \
    PROBE_SETTINGS='{"pathMap":{"/etc/nginx":"/etc"}}' PROBE_TIMEOUT_MS=20000 timeout 60 node "$PROBE" diag "$1/$2" > "$3.out" 2>&1
}
mkdir -p "$TMP/benign" "$TMP/hostile"
printf 'events {}\nhttp { server { listen 80; } }\n' > "$TMP/benign/nginx.conf"
printf 'events {}\nhttp {\n    include /etc/nginx/shadow;\n    include /etc/passwd;\n    include /proc/kmsg;\n    include /**/*;\n    include /etc/*;\n    include fifo.conf;\n    include rootfs/etc/hostname;\n    include ../../../../../../../etc/group;\n}\n' > "$TMP/hostile/nginx.conf"
mkfifo "$TMP/hostile/fifo.conf"
ln -s / "$TMP/hostile/rootfs"
run "$TMP/benign" nginx.conf "$TMP/benign.log" || { echo "benign run failed: $(cat "$TMP/benign.log.out")" >&2; exit 2; }
run "$TMP/hostile" nginx.conf "$TMP/hostile.log" || { echo "hostile run failed: $(cat "$TMP/hostile.log.out")" >&2; exit 2; }
opened "$TMP/benign" "$TMP/benign.log" | sed "s#$TMP/benign#WS#" | LC_ALL=C sort -u > "$TMP/base.txt"
opened "$TMP/hostile" "$TMP/hostile.log" | sed "s#$TMP/hostile#WS#" | LC_ALL=C sort -u > "$TMP/hostile.txt"
extra=$(LC_ALL=C comm -13 "$TMP/base.txt" "$TMP/hostile.txt" | grep -v '^WS' || true)
echo "diagnostics: $(grep -oE '"code":"[a-z-]+"' "$TMP/hostile.log.out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
if [ -n "$extra" ]; then echo "opened outside the workspace:"; echo "$extra"; exit 1; fi
echo "OK: $(grep -c '^WS' "$TMP/hostile.txt") path(s) opened inside the workspace, none outside (baseline $(wc -l < "$TMP/base.txt") paths)"
