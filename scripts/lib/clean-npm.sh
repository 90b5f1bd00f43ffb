#!/usr/bin/env bash
# Sourced by scripts/install-vscode-test-deps.sh (and its test, test/unit/setup.test.ts).
#
# clean_npm CMD…: run CMD (an npm) without the configuration an outer npm exported to us.
# Why: under `npm test` (the pretest hook)
# the outer npm (Node 20) exports its whole config as npm_config_* variables, and a nested npm reads
# those back as its own config. One of them is npm_config_user_agent ("npm/… node/v20.… linux x64"):
# the nested npm then reports Node 20 as its user agent even though it runs on Node 24, and
# code-server's postinstall, which reads its Node version from $npm_config_user_agent, refuses
# ("code-server currently requires node v24 … you are on node v20"). The lifecycle variables
# (npm_lifecycle_*, npm_package_*, npm_execpath, npm_node_execpath, NODE, INIT_CWD) describe the
# outer project and do not belong to the nested install either.
clean_npm() {
  local unset=() v
  for v in $(compgen -e); do
    case "$v" in npm_*|NODE|INIT_CWD) unset+=(-u "$v") ;; esac
  done
  env "${unset[@]}" "$@"
}
