#!/usr/bin/env node
// npm run fuzz -- [--cases N] [--seed S] [--service-every K] [--from N]
// Same fuzzer as test/unit/fuzz.test.ts, at scale. Exits 1 on any failure.
import { spawnSync } from 'node:child_process';
const r = spawnSync(process.execPath, ['--import', 'tsx', new URL('./fuzz-run.ts', import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
