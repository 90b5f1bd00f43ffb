/**
 * The template model: a Docker/envsubst template (its placeholders, where it renders) and the
 * environment the workspace gives it (compose, .env, Dockerfile, the command line). Types and
 * constants only, below knowledge/ like the configuration model, so that the template rules in
 * analysis/ and the template support in templates/ share them. (templates/env.ts and template.ts
 * compute them.)
 */

export type EnvKind = 'compose' | 'env-file' | 'dockerfile' | 'cli' | 'image';

export interface EnvDefinition {
  name: string;
  /** the value as written (quotes removed); null when the source only passes the name through (`- NAME` in compose) */
  value: string | null;
  /** file that defines it ('' for the command line and the image) */
  path: string;
  /** offsets of the name in that file */
  start: number;
  end: number;
  kind: EnvKind;
  /** where in the file, in words: `service web, environment` */
  detail: string;
}

/** An `envsubst` run without a list of names (so every `$name` is replaced). */
export interface PlainEnvsubst {
  path: string;
  start: number;
  end: number;
  /** base name of the file it reads (`< x`, `cat x |`), null when not seen */
  input: string | null;
  /** the command as written (one line) */
  command: string;
}

export interface Environment {
  /** name → its definitions, nearest source first */
  defs: Map<string, EnvDefinition[]>;
  /** some file of the workspace defines environment variables (compose, .env, Dockerfile) */
  hasSources: boolean;
  /** a Dockerfile or compose service next to the template uses the nginx image */
  nginxImage: boolean;
  /** folders whose files the image renders (`templates/` next to a Dockerfile or compose using nginx, compose volumes onto the template dir) */
  templateDirs: string[];
  plainEnvsubst: PlainEnvsubst[];
  /** the image's settings, as the environment sets them */
  suffix: string;
  filter: RegExp | null;
  templateDir: string;
}

/**
 * Variables the official image's containers have without any configuration: what its Dockerfile
 * sets with ENV, and what Docker itself sets. The entrypoint passes every defined name to
 * envsubst, so `$HOSTNAME` or `${NGINX_VERSION}` in a template are substituted.
 */
export const IMAGE_ENV: readonly string[] = ['NGINX_VERSION', 'NJS_VERSION', 'NJS_RELEASE', 'PKG_RELEASE', 'DYNPKG_RELEASE', 'PATH', 'HOSTNAME', 'HOME'];

export interface Placeholder {
  name: string;
  /** offsets of the whole `${NAME}` / `$NAME` */
  start: number;
  end: number;
  braced: boolean;
}

export interface TemplateFile {
  /** the file's path (null for an untitled document) */
  path: string | null;
  env: Environment;
  /** rendered by the nginx image's entrypoint (suffix, templates folder): analysed where its output lands */
  image: boolean;
  /** the blocks around the rendered file's top level ([] = main), as SingleFileView takes them */
  outer: string[];
  placeholders: Placeholder[];
  /** values given on the command line (`--env`, `--env-file`): the render is exact, not sampled */
  exact: boolean;
}

/** Placeholder names that stand for a port (`NGINX_PORT`, `PORTS`, `HTTP_PORT_TLS`). */
export const PORT_NAME = /(^|_)PORTS?($|_)/;
