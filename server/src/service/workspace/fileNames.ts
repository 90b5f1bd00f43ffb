/**
 * What an nginx configuration file is called, in one place: the workspace scan (which files of a
 * folder are nginx files), the CLI's folder walk and the server's file watchers all read it, so a file
 * the scan knows is also a file whose changes on disk are heard.
 */

/** File names of nginx configurations and of the Docker image's templates. */
export const NGINX_FILE_NAME = /(^nginx\.conf(\..*)?$|\.conf$|\.nginx$|\.nginxconf$|\.vhost$|\.conf\.template$|\.conf\.tmpl$|\.stream-template$)/;

/** Folders whose every file is nginx configuration, whatever its name (Debian's sites-enabled/ has no `.conf`). */
export const NGINX_DIR_NAME = /^(sites-(available|enabled)|conf\.d|snippets|vhosts?\.d|vhosts|servers|http\.d|stream\.d|templates)$/;

/** The same as watcher globs (LSP `workspace/didChangeWatchedFiles`). */
export const NGINX_FILE_GLOBS: readonly string[] = [
  '**/*.conf', '**/nginx.conf', '**/nginx.conf.*', '**/*.nginx', '**/*.nginxconf', '**/*.vhost', '**/*.conf.template', '**/*.conf.tmpl',
  '**/*.stream-template', '**/sites-available/**', '**/sites-enabled/**',
];

/**
 * Is the file at this path (either separator) nginx configuration by its name or by a Debian
 * sites-available/sites-enabled folder above it? Used where files are picked out of a folder the
 * user named (the CLI), so the broader folder list of the scan (conf.d/, templates/ …, whose
 * non-`.conf` files are often something else) does not apply.
 */
export function isNginxFileName(path: string): boolean {
  const parts = path.split(/[\\/]/);
  if (NGINX_FILE_NAME.test(parts[parts.length - 1] ?? '')) return true;
  return parts.includes('sites-enabled') || parts.includes('sites-available');
}
