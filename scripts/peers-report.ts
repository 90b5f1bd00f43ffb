/**
 * Prints the peer-suite tables of docs/security.md: for each gixy plugin and nginx-lint rule, our
 * codes and the per-file agreement (test/oracle/peers.ts), then every disagreement with its reason.
 *
 *   node --import tsx scripts/peers-report.ts
 */
import { comparePeers, DISAGREEMENTS, GIXY, NGINX_LINT, peerFiles, registeredCodes, summarize } from '../test/oracle/peers';

const files = peerFiles();
if (!files) {
  process.stdout.write('no ../shared/corpus/MANIFEST.tsv\n');
  process.exit(0);
}
const results = comparePeers(files);
const rows = summarize(results);
for (const [peer, table] of [['gixy', GIXY], ['nginx-lint', NGINX_LINT]] as const) {
  process.stdout.write(`\n| ${peer} | our codes | files | agree | note |\n|---|---|---:|---:|---|\n`);
  for (const [check, c] of Object.entries(table)) {
    const n = files.filter((f) => f.peer === peer && f.check === check).length;
    if (!n) continue;
    const row = rows.find((r) => r.peer === peer && r.check === check);
    const codes = registeredCodes(c);
    const missing = c.codes.filter((x) => !codes.includes(x));
    const codeText = [...codes.map((x) => `\`${x}\``), ...missing.map((x) => `(${x}: not built)`)].join(', ') || '—';
    process.stdout.write(`| \`${check}\` | ${codeText} | ${n} | ${row ? `${row.agree}/${row.files}` : 'not compared'} | ${c.note ?? ''} |\n`);
  }
}
const total = results.length;
const agree = results.filter((r) => r.agrees).length;
process.stdout.write(`\n${agree}/${total} files agree; ${total - agree} disagreements:\n\n`);
for (const r of results) {
  if (r.agrees) continue;
  const reason = DISAGREEMENTS[r.file] ?? 'UNEXPLAINED (test/oracle/peers.test.ts fails)';
  process.stdout.write(`- ${r.peer} \`${r.sourcePath}\` (${r.findings.length ? r.findings.join(', ') : 'no finding'}): ${reason}\n`);
}

