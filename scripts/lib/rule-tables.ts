/**
 * What the rule registry (server/src/service/analysis/registry.ts) generates: the `nginx.rules`
 * settings schema of package.json and the index docs/rules/README.md. scripts/gen-rules.ts writes
 * them; test/unit/registry.test.ts fails when the files differ from what this gives.
 */
import { ruleRegistry, type RuleInfo } from '../../server/src/service/analysis/registry';

const SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'];

const FAMILY_TITLES: Record<string, string> = {
  structure: 'Structure: what nginx itself rejects or reads differently',
  versions: 'Versions: what the configured nginx.version removed or deprecates',
  workspace: 'Workspace: includes and the limits of this tool',
  websocket: 'WebSocket proxying',
  headers: 'Headers',
  templates: 'Docker/envsubst templates',
  security: 'Security',
  practice: 'Best practice',
  routing: 'Routing',
};

function describe(r: RuleInfo): string {
  const text = r.description.replace(/\.$/, '');
  return `${text[0].toUpperCase()}${text.slice(1)}. Default: \`${r.defaultSeverity}\`.`;
}

/** The `properties` of the `nginx.rules` setting: one entry per registered code, in registry order. */
export function rulesSchemaProperties(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of ruleRegistry) out[r.code] = { type: 'string', enum: SEVERITIES, markdownDescription: describe(r) };
  return out;
}

/** package.json with its `nginx.rules` properties replaced (the rest byte for byte as parsed and printed). */
export function packageJsonWithRules(text: string): string {
  const pkg = JSON.parse(text);
  const configs = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
  const holder = configs.find((c: { properties?: Record<string, unknown> }) => c.properties && 'nginx.rules' in c.properties);
  if (!holder) throw new Error('package.json has no nginx.rules setting');
  holder.properties['nginx.rules'].properties = rulesSchemaProperties();
  return JSON.stringify(pkg, null, 2) + '\n';
}

/** docs/rules/README.md: every code by family, with its default severity and fix-all membership. */
export function rulesIndexMarkdown(): string {
  const lines = [
    '# Rules',
    '',
    '<!-- Generated from the rule registry (server/src/service/analysis/registry.ts) by',
    '     `node --import tsx scripts/gen-rules.ts`; test/unit/registry.test.ts fails when it is stale. -->',
    '',
    'Every code the product reports. Set a severity per code with the `nginx.rules` setting (or',
    '`nginx-lint --rule CODE=SEVERITY`), silence one line with `# nginx-disable-next-line <code>`;',
    '`nginx-lint --list-rules` prints this table. "Fix all" marks the rules whose preferred fix',
    '"Fix all issues" (`source.fixAll.nginx`) applies.',
  ];
  const families: string[] = [];
  for (const r of ruleRegistry) if (!families.includes(r.family)) families.push(r.family);
  for (const fam of families) {
    lines.push('', `## ${FAMILY_TITLES[fam] ?? fam}`, '', '| Code | Default | Fix all | Description |', '| --- | --- | --- | --- |');
    for (const r of ruleRegistry) {
      if (r.family !== fam) continue;
      const page = r.docs.replace(/^docs\/rules\//, '');
      lines.push(`| [\`${r.code}\`](${page}) | ${r.defaultSeverity} | ${r.fixAll ? 'yes' : ''} | ${r.description.replace(/\|/g, '\\|')} |`);
    }
  }
  return lines.join('\n') + '\n';
}
