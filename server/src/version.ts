// The one place the version comes from (esbuild inlines just this field of package.json).
import { version } from '../../package.json';

export const VERSION: string = version;
