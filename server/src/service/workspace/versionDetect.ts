/**
 * Which nginx version a workspace runs, when `nginx.version` is empty: a `# nginx: version=1.30`
 * comment at the top of a configuration file, else the image of a Dockerfile (`FROM nginx:<tag>`,
 * `nginxinc/…`, `openresty/openresty:<tag>`) or of a compose file / Kubernetes manifest
 * (`image: nginx:<tag>`). Pure: the caller hands in the texts.
 */
import { NEWEST_RELEASE, RELEASES } from '../knowledge/versions';

export interface AssumedVersion {
  /** "1.30", "1.27.3" */
  version: string;
  /** where it comes from, for hover and logs */
  why: string;
}

const COMMENT = /^[ \t]*#[ \t]*nginx:[ \t]*version[ \t]*=[ \t]*(\d+\.\d+(?:\.\d+)?)/m;

/** `# nginx: version=1.30` in the first 2000 characters of a file. */
export function versionFromComment(text: string): string | null {
  return COMMENT.exec(text.slice(0, 2000))?.[1] ?? null;
}

/** the newest stable (even minor) branch among the releases read */
function newestStable(): string {
  for (let i = RELEASES.length - 1; i >= 0; i--) {
    const [a, b] = RELEASES[i].split('.').map(Number);
    if (b % 2 === 0) return `${a}.${b}`;
  }
  return NEWEST_RELEASE;
}

/**
 * The nginx version of a container image reference, or null when it is not an nginx image:
 * `nginx:1.27.3-alpine` → 1.27.3, `nginx:1.26` → 1.26, `nginx:stable` → the newest stable branch,
 * `nginx`, `nginx:latest`, `nginx:mainline` → the newest release, `openresty/openresty:1.25.3.1` → 1.25.3.
 */
export function versionFromImage(ref: string): string | null {
  let r = ref.trim().replace(/@sha256:[0-9a-f]+$/i, '');
  if (!r || /[\s$]/.test(r)) return null; // `FROM $BASE`: not resolved
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  const tag = (colon > slash ? r.slice(colon + 1) : 'latest').toLowerCase();
  if (colon > slash) r = r.slice(0, colon);
  const segs = r.toLowerCase().split('/');
  const name = segs[segs.length - 1];
  // the segment before the name ("library" on Docker Hub, "nginxinc", "openresty"; '' without one)
  const owner = segs.length > 1 ? `${segs[segs.length - 2]}/` : '';
  const nginx = (name === 'nginx' && (owner === '' || owner === 'library/' || owner === 'nginx/'))
    || (owner === 'nginxinc/' && /^nginx(-unprivileged)?$/.test(name))
    || name === 'nginx-unprivileged';
  const openresty = owner === 'openresty/' && name === 'openresty';
  if (!nginx && !openresty) return null;
  const v = /^(\d+\.\d+(?:\.\d+)?)/.exec(tag)?.[1];
  if (v) return v;
  if (openresty) return null; // a flavour tag (alpine, jammy) says nothing of the nginx inside
  if (/^stable/.test(tag)) return newestStable();
  if (/^(latest|mainline|alpine|bookworm|trixie|perl|otel)/.test(tag)) return NEWEST_RELEASE;
  return null;
}

/** The version from a Dockerfile (its last nginx `FROM`: the final stage is what runs). */
export function versionFromDockerfile(text: string): { version: string; line: string } | null {
  let found: { version: string; line: string } | null = null;
  for (const m of text.matchAll(/^[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?(\S+)/gim)) {
    const v = versionFromImage(m[1]);
    if (v) found = { version: v, line: m[0].trim() };
  }
  return found;
}

/** The version from a compose file or Kubernetes manifest (the first nginx `image:`). */
export function versionFromManifest(text: string): { version: string; line: string } | null {
  for (const m of text.matchAll(/^[ \t-]*image:[ \t]*["']?([^\s"'#]+)["']?/gm)) {
    const v = versionFromImage(m[1]);
    if (v) return { version: v, line: m[0].trim().replace(/^-\s*/, '') };
  }
  return null;
}

/** Files of a workspace folder that may name the image: Dockerfiles, compose files, YAML manifests. */
export function isVersionSource(name: string): 'dockerfile' | 'manifest' | null {
  if (/^(Dockerfile|Containerfile)(\..+)?$/i.test(name) || /\.dockerfile$/i.test(name)) return 'dockerfile';
  if (/\.ya?ml$/i.test(name)) return 'manifest';
  return null;
}

/** The first version named by the given files (path, text), Dockerfiles before manifests. */
export function detectFromFiles(files: readonly { path: string; text: string }[]): AssumedVersion | null {
  const sorted = [...files].sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : 1));
  for (const f of sorted) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    const kind = isVersionSource(base);
    const hit = kind === 'dockerfile' ? versionFromDockerfile(f.text) : kind === 'manifest' ? versionFromManifest(f.text) : null;
    if (hit) return { version: hit.version, why: `${base}: \`${hit.line}\`` };
  }
  return null;
}

function rank(p: string): number {
  const base = p.slice(p.lastIndexOf('/') + 1);
  return isVersionSource(base) === 'dockerfile' ? 0 : 1;
}
