import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { satisfies, valid, validRange } from 'semver';
import { badRequest, TwilioApiError } from '../http/errors';
import {
  DEFAULT_RUNTIME,
  DEFAULT_RUNTIME_HANDLER,
  HANDLER_VERSIONS_URL,
  NODE24_RUNTIME_HANDLER,
  NODE24_UPGRADABLE_FROM,
  RUNTIME_HANDLER,
  RUNTIME_HANDLER_VERSIONS,
  SUPPORTED_RUNTIMES,
} from './limits';

/** One entry of a Build's `Dependencies`: an npm package and its declared version. */
export interface Dependency {
  name: string;
  version: string;
}

/** What a Build's dependency check decided: the list it builds with, or why the build fails. */
export type DependencyOutcome = { ok: true; dependencies: Dependency[] } | { ok: false; reason: string; dependencies: Dependency[] };

/** An npm package name (scoped or not): nothing else reaches the file system. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** Refusals of the Build request itself. */
function invalidDependencies(detail: string): TwilioApiError {
  return badRequest(20001, `Invalid Dependencies: ${detail}`);
}

/**
 * Twilio's 20001 for a version the platform cannot install, in the platform's words ("Some
 * dependencies could not be validated. No matching version found for <name>@<version>.").
 */
// https://github.com/twilio-labs/serverless-toolkit/issues/564 and /issues/538 (the message as twilio-run printed it)
function noMatchingVersion(dependency: Dependency): TwilioApiError {
  const handlerHint = dependency.name === RUNTIME_HANDLER ? ` You can find the valid versions at ${HANDLER_VERSIONS_URL}` : '';
  return badRequest(
    20001,
    `Some dependencies could not be validated. No matching version found for ${dependency.name}@${dependency.version}.${handlerHint}`,
  );
}

/** 82007: a runtime the platform does not run (node18 and older, or an unknown name). */
// https://www.twilio.com/docs/errors/82007
function unsupportedRuntime(runtime: string): TwilioApiError {
  return badRequest(82007, `Unsupported Runtime: ${runtime} (supported: ${SUPPORTED_RUNTIMES.join(', ')})`);
}

/**
 * The Build's `Runtime`. Without one, a Build gets the runtime of the service's last successful
 * Build, and node22 when there is none; an unsupported name is refused with 82007.
 */
// https://www.twilio.com/docs/errors/82007 ("without providing the runtime and the runtime used for the last successful build in the service")
export function readRuntime(raw: string | null, lastSuccessful: string | undefined): string {
  const runtime = raw === null || raw === '' ? (lastSuccessful ?? DEFAULT_RUNTIME) : raw;
  if (!SUPPORTED_RUNTIMES.includes(runtime)) throw unsupportedRuntime(runtime);
  return runtime;
}

/**
 * Parses a Build's `Dependencies`: a JSON list of `{ name, version }`. serverless-api sends the
 * JSON wrapped in one more pair of quotes (`"[{…}]"`, api/builds.js `triggerBuild`), which the
 * platform accepts, so one such pair is taken off.
 */
export function parseDependencies(raw: string | null): Dependency[] {
  if (raw === null || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    const unwrapped = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : null;
    if (unwrapped === null) throw invalidDependencies('not JSON');
    try {
      parsed = JSON.parse(unwrapped);
    } catch {
      throw invalidDependencies('not JSON');
    }
  }
  if (!Array.isArray(parsed)) throw invalidDependencies('expected a list of { name, version }');
  return parsed.map((entry: unknown) => {
    const record = entry as Record<string, unknown> | null;
    if (typeof record !== 'object' || record === null || typeof record.name !== 'string' || typeof record.version !== 'string') {
      throw invalidDependencies('each entry needs a string name and version');
    }
    return { name: record.name, version: record.version };
  });
}

/** The version of `name` installed where the sandbox can require it, or undefined. */
function installedVersion(name: string, from: string = __dirname): string | undefined {
  if (!PACKAGE_NAME.test(name)) return undefined;
  // The same walk as Node's resolution of `<name>/package.json` from `from`, without the package's `exports` gate.
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
      return typeof version === 'string' ? version : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Offline, the sandbox's registry is what is installed: a version exists when an installed copy satisfies it. */
function existsOnRegistry(dependency: Dependency, lookup: (name: string) => string | undefined): boolean {
  const installed = lookup(dependency.name);
  if (installed === undefined) return false;
  if (valid(dependency.version)) return installed === dependency.version;
  return validRange(dependency.version) !== null && satisfies(installed, dependency.version);
}

function isAtLeast(version: string, floor: string): boolean {
  return valid(version) !== null && satisfies(version, `>=${floor}`);
}

/**
 * Validates a Build's dependencies as the platform does. Refused at the request (400 20001):
 * a Runtime Handler that is not on Twilio's list, and any other package with no such version.
 * On node24, listed handlers from 1.2.0 are upgraded to 2.1.2 and older ones fail the build.
 * A Build that declares no handler gets the default one ("part of all Builds").
 */
// https://twilio.com/docs/runtime/functions/packages ("The default version of the Twilio SDK and Runtime handler are a part of all Builds")
export function checkDependencies(
  declared: readonly Dependency[],
  runtime: string,
  lookup: (name: string) => string | undefined = (name) => installedVersion(name),
): DependencyOutcome {
  const dependencies = declared.some((d) => d.name === RUNTIME_HANDLER)
    ? declared.map((d) => ({ ...d }))
    : [...declared.map((d) => ({ ...d })), { name: RUNTIME_HANDLER, version: DEFAULT_RUNTIME_HANDLER }];
  for (const dependency of dependencies) {
    if (dependency.name === RUNTIME_HANDLER) {
      if (!RUNTIME_HANDLER_VERSIONS.includes(dependency.version)) throw noMatchingVersion(dependency);
    } else if (!existsOnRegistry(dependency, lookup)) {
      throw noMatchingVersion(dependency);
    }
  }
  if (runtime !== 'node24') return { ok: true, dependencies };
  const handler = dependencies.find((d) => d.name === RUNTIME_HANDLER) as Dependency;
  if (!isAtLeast(handler.version, NODE24_UPGRADABLE_FROM)) {
    return {
      ok: false,
      dependencies,
      reason: `${RUNTIME_HANDLER}@${handler.version} does not run on node24: upgrade it to ${NODE24_RUNTIME_HANDLER} or later before deploying to node24 (${HANDLER_VERSIONS_URL})`,
    };
  }
  handler.version = NODE24_RUNTIME_HANDLER;
  return { ok: true, dependencies };
}
