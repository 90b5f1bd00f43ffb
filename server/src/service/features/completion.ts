// Placeholder until issue 3 (directive knowledge) lands.
import type { CompletionList } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';

export function getCompletions(_ctx: FeatureContext, _offset: number): CompletionList {
  return { isIncomplete: false, items: [] };
}
