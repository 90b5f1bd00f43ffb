#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, idempotently and quickly when present:
#   Debian: nginx-extras (real nginx 1.22.1 for oracle and end-to-end tests), nginx 1.26.3 and 1.30.6 in
#   /opt (scripts/install-nginx-versions.sh), chromium + libkrb5-dev (the
#   real-VS-Code suite in code-server), python3-fusepy (a hung FUSE mount for the bounded-reads test),
#   and the code-server/Node 24 toolchain for that suite.
# Runs as `npm test`'s pretest. Without root it installs nothing and says which tests will skip.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-extras)
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
# a FUSE file system that stops answering, for the time-bounded reads test (test/unit/bounded-io.test.ts)
dpkg -s python3-fusepy >/dev/null 2>&1 || need+=(python3-fusepy)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: not root; missing Debian packages: ${need[*]} (tests that need them will be skipped and say so)"
  else
    echo "setup: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null \
      || { echo "setup: apt-get install ${need[*]} failed" >&2; exit 1; }
    # the package starts a system nginx on port 80; tests start their own on 127.0.0.1
    systemctl stop nginx >/dev/null 2>&1 || service nginx stop >/dev/null 2>&1 || pkill -x nginx || true
  fi
fi

# nginx 1.26.3 and 1.30.6 beside 1.22.1 for the per-version oracle tests (about 2 minutes the first
# time, 2 s when present; without root it says so and the tests skip)
bash scripts/install-nginx-versions.sh || { echo "setup: installing nginx 1.26.3/1.30.6 failed" >&2; exit 1; }

if [ -f scripts/install-vscode-test-deps.sh ] && [ -z "${NGINX_TEST_SKIP_VSCODE:-}" ]; then
  bash scripts/install-vscode-test-deps.sh || { echo "setup: installing the code-server test toolchain failed" >&2; exit 1; }
fi
exit 0
