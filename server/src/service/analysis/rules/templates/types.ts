/**
 * Rules about a template itself (its placeholders and how it is rendered), as opposed to the
 * nginx configuration it renders to. They need the template's environment, which the ordinary
 * RuleContext does not carry, so they get their own context; validation runs them next to the
 * ordinary rules (templates/validate.ts) with the same severities and inline disables.
 */
import type { Settings } from '../../../settings';
import type { Finding, SourceFile } from '../../types';
import type { TemplateFile } from '../../../model/template';

export interface TemplateRuleContext {
  source: SourceFile;
  template: TemplateFile;
  settings: Settings;
  /** a workspace file (Dockerfile, compose, .env, script) as a source, for related locations */
  sourceOfPath(path: string): SourceFile | null;
  report(f: Omit<Finding, 'code'>): void;
}

export interface TemplateRule {
  code: string;
  family: 'templates';
  defaultSeverity: 'error' | 'warning' | 'information' | 'hint';
  description: string;
  docs?: string;
  fixAll?: boolean;
  check(ctx: TemplateRuleContext): void;
}
