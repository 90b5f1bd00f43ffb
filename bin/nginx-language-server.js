#!/usr/bin/env node
// nginx language server (LSP). Usage: nginx-language-server --stdio
require('../dist/server.js');
