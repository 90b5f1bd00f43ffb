import type { ConfigView, SourceFile } from '../analysis/types';
import type { Settings } from '../settings';
import type { Workspace } from '../workspace/workspace';

/** What a feature (hover, completion, navigation, …) gets to work with. */
export interface FeatureContext {
  source: SourceFile;
  /** the first view of the file (the main place it is included, or the inferred one) */
  view: ConfigView;
  /** every view (a file included from two places has two) */
  views: ConfigView[];
  settings: Settings;
  workspace: Workspace;
}

/** A location in some file of the workspace, offsets into that file. */
export interface OffsetLocation {
  source: SourceFile;
  start: number;
  end: number;
}
