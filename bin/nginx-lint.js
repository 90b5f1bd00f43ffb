#!/usr/bin/env node
// nginx-lint: lint nginx configuration files. Run `nginx-lint --help`.
require('../dist/cli.js').run();
