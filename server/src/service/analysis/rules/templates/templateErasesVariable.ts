/**
 * `template-erases-variable`: the workspace runs `envsubst` with no list of names (a Dockerfile
 * `RUN`/`CMD`, an entrypoint script, a compose `command:`) on this template. Without a
 * SHELL-FORMAT argument GNU envsubst replaces every `$name` and `${name}` — nginx's `$host`, `$uri`,
 * `$http_upgrade` too, by an empty string when the environment has no such name. The fix is the
 * image's own: pass the placeholder names, `envsubst '${A} ${B}' < in > out`.
 */
import { TokenKind } from '../../../syntax/tree';
import { basename } from '../../../paths';
import type { TemplateRule } from './types';

export const templateErasesVariable: TemplateRule = {
  code: 'template-erases-variable',
  family: 'templates',
  defaultSeverity: 'warning',
  description: 'A plain envsubst pipeline (no list of names) would replace this nginx $variable with an empty string.',
  check(tc) {
    const t = tc.template;
    const name = t.path ? basename(t.path) : null;
    // a pipeline that names its input applies to that file only; one reading stdin of unknown origin to every template near it
    const stem = (n: string) => n.replace(/\.(template|tmpl|stream-template)$/, '');
    const pipe = t.env.plainEnvsubst.find((p) => p.input === null || (name !== null && (p.input === name || stem(p.input) === stem(name) || p.input.includes('*'))));
    if (!pipe) return;
    const file = tc.source.file;
    const placeholders = new Set(t.placeholders.map((p) => p.start));
    const names = [...new Set(t.placeholders.map((p) => p.name))];
    const list = names.length ? `'${names.map((n) => '${' + n + '}').join(' ')}'` : `'\${NAME} …'`;
    const pipeSource = pipe.path ? tc.sourceOfPath(pipe.path) : null;
    const where = pipe.path ? basename(pipe.path) : 'the workspace';
    // the fix edits the command itself: in a Dockerfile or script (in YAML the quoting of the line is unknown)
    const fixable = pipeSource !== null && names.length > 0 && !/\.ya?ml$/.test(pipe.path);
    const fixes = fixable ? () => [{
      title: `Pass the placeholders to envsubst in ${where}: envsubst ${list}`,
      edits: [{ source: pipeSource, start: pipe.end, end: pipe.end, newText: ` ${list}` }],
      isPreferred: true,
    }] : undefined;
    // every `$name` envsubst would see, outside comments (nginx never reads those)
    const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
    const text = file.text;
    const { tokenKinds, tokenStarts, tokenCount } = file;
    for (let i = 0; i < tokenCount; i++) {
      if (tokenKinds[i] !== TokenKind.Word && tokenKinds[i] !== TokenKind.String) continue;
      const s = tokenStarts[i];
      const e = i + 1 < tokenCount ? tokenStarts[i + 1] : text.length;
      const w = text.slice(s, e);
      if (w.indexOf('$') < 0) continue;
      re.lastIndex = 0;
      for (let m = re.exec(w); m; m = re.exec(w)) {
        const at = s + m.index;
        if (placeholders.has(at)) continue;
        const v = m[1] ?? m[2];
        tc.report({
          message: `"envsubst" without a list of names (${where}: ${pipe.command}) replaces the nginx variable "$${v}" with an empty string; pass the placeholders: envsubst ${list} < … > …`,
          start: at,
          end: at + m[0].length,
          fixes,
          related: pipeSource ? [{ source: pipeSource, start: pipe.start, end: pipe.end, message: 'envsubst runs here with no list of names' }] : undefined,
        });
      }
    }
  },
};
