import type { Rule } from '../../types';
import { addHeaderDropped } from './addHeaderDropped';
import { aliasTraversal } from './aliasTraversal';
import { allowWithoutDeny } from './allowWithoutDeny';
import { hostSpoofing } from './hostSpoofing';
import { httpSplitting } from './httpSplitting';
import { resolverMissing } from './resolverMissing';
import { returnBypassesAccess } from './returnBypassesAccess';
import { ssrfProxyPass } from './ssrfProxyPass';
import { statusExposed } from './statusExposed';
import { cveAdvisory } from './cveAdvisory';
import { proxyPassNormalized } from './proxyPassNormalized';
import { hostnameResolvedOnce } from './hostnameResolvedOnce';
import { regexUnanchored } from './regexUnanchored';
import { regexRedos } from './regexRedos';
import { regexCaptureMissing } from './regexCaptureMissing';
import { validReferersNone } from './validReferersNone';
import { weakTls } from './weakTls';
import { sslStaplingResolver } from './sslStaplingResolver';
import { hstsMissing } from './hstsMissing';
import { addHeaderAlways } from './addHeaderAlways';
import { resolverExternal } from './resolverExternal';

/** Rules of the "security" family (see docs/rules/ and docs/security.md). */
export const securityRules: Rule[] = [
  aliasTraversal,
  addHeaderDropped,
  hostSpoofing,
  ssrfProxyPass,
  httpSplitting,
  returnBypassesAccess,
  allowWithoutDeny,
  statusExposed,
  resolverMissing,
  validReferersNone,
  weakTls,
  sslStaplingResolver,
  hstsMissing,
  addHeaderAlways,
  resolverExternal,
  hostnameResolvedOnce,
  regexUnanchored,
  regexRedos,
  regexCaptureMissing,
  proxyPassNormalized,
  cveAdvisory,
];
