/**
 * "Which server and location answer this request?" (nginx/route, `nginx-lint route`): the routing
 * model of analysis/routing/ run on the configuration a file belongs to, with each step's range.
 */
import { httpLevelOf } from '../analysis/routing/level';
import { route as routeModel, type RouteRequest, type Step, type StepKind } from '../analysis/routing/route';
import type { ConfigView } from '../analysis/types';
import { rangeOf } from '../syntax/positions';
import type { SourceFile } from '../model/config';

export type { RouteRequest };

export interface RouteRange { start: { line: number; character: number }; end: { line: number; character: number } }

export interface RouteStep {
  kind: StepKind;
  label: string;
  detail?: string;
  /** file URI */
  uri: string;
  /** 0-based, of the directive */
  range: RouteRange;
}

export interface RouteResult {
  server: RouteStep | null;
  location: RouteStep | null;
  chain: RouteStep[];
  normalizedUri: string;
  notes: string[];
}

/** What a route needs: the file, its views, and the nginx version (asked only when it matters: it may scan the workspace). */
export interface RouteContext {
  source: SourceFile;
  views: ConfigView[];
  version: () => string | undefined;
}

/** The view whose configuration holds servers: a file included into several configurations takes the first that has some. */
function pickView(ctx: RouteContext): ConfigView {
  for (const v of ctx.views) if (httpLevelOf(v)?.directives.some((d) => d.name === 'server')) return v;
  return ctx.views[0];
}

export function routeRequest(ctx: RouteContext, req: RouteRequest): RouteResult {
  const view = pickView(ctx);
  const level = httpLevelOf(view);
  if (!level) return { server: null, location: null, chain: [], normalizedUri: '', notes: ['this file is not part of an http configuration'] };
  const r = routeModel(level.directives, level.expand, { ...req, nginxVersion: req.nginxVersion || undefined }, ctx.version);
  const toStep = (s: Step): RouteStep => {
    const source = view.sourceOf(s.directive) ?? ctx.source;
    // the range of the directive's head (name and arguments), not its whole block
    const end = s.directive.block ? s.directive.block.start : s.directive.end;
    let e = end;
    while (e > s.directive.start && /\s/.test(source.file.text[e - 1])) e--;
    return { kind: s.kind, label: s.label, ...(s.detail ? { detail: s.detail } : {}), uri: source.uri, range: rangeOf(source.file, s.directive.start, e) };
  };
  return {
    server: r.server && toStep(r.server),
    location: r.location && toStep(r.location),
    chain: r.chain.map(toStep),
    normalizedUri: r.normalizedUri,
    notes: [...new Set(r.notes)],
  };
}
