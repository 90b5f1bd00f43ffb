import { templateErasesVariable } from './templateErasesVariable';
import { templateUndefined } from './templateUndefined';
import { portPlaceholder } from './portPlaceholder';
import type { TemplateRule } from './types';

/** The rules that look at a template itself (run only for templates). */
export const templateRules: TemplateRule[] = [templateUndefined, templateErasesVariable, portPlaceholder];
