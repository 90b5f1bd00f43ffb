/**
 * The public entry of the core: what the LSP server (server.ts, validationWorker.ts), the CLI
 * (cli.ts) and the Node file system adapter may use. Everything else under service/ is internal;
 * test/unit/layers.test.ts checks that those files import nothing else from the core.
 *
 * The service is handed out as `NginxLanguageService`: the class without its `workspace` (the
 * include graph, views and documents stay behind the facade's methods).
 */
import { LanguageService, type LanguageServiceOptions } from './languageService';

export type NginxLanguageService = Omit<LanguageService, 'workspace'>;

export function createLanguageService(options: LanguageServiceOptions = {}): NginxLanguageService {
  return new LanguageService(options);
}

export { FIX_ALL_KIND, FIX_ALL_WEBSOCKET_KIND, MAX_DIAGNOSTICS, SOURCE, type DiagnosticData, type LanguageServiceOptions } from './languageService';
export { ruleInfo, ruleRegistry, type RuleInfo } from './analysis/registry';
export { applyEdits } from './analysis/edits';
export { BOM_MESSAGE, checkText, decodeInput, MAX_INPUT_BYTES, type InputProblem } from './input';
export { isSpecialFolder, normalize } from './paths';
export { resolveSettings, defaultSettings, type Settings, type SeverityName } from './settings';
export { positionAt } from './syntax/positions';
export { formatFile } from './features/formatting';
export { RenameError } from './features/navigation';
export { compileSettingsGlob } from './workspace/glob';
export type { FileSystem } from './workspace/fileSystem';
export { ENVIRONMENT_GLOBS, isEnvironmentSource, parseDotEnv } from './templates/env';
export type { RouteRequest, RouteResult, RouteStep } from './features/route';
export { isNginxFileName, NGINX_FILE_GLOBS } from './workspace/fileNames';
