import path from 'node:path';
import { ALL_SETTINGS, checkSettings, weakSecrets, type SettingProblem } from '../src/lib/config/settings';
import type { EnvVars } from './env-file';

/** How many single-character edits turn `a` into `b` (for "did you mean"). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

const KNOWN = new Set(ALL_SETTINGS.map((spec) => spec.name));

/** Variables that are not settings but look like a misspelt one: `ALLOWED_COUNTRY` → `ALLOWED_COUNTRIES`. */
function misspeltNames(env: EnvVars): Array<{ name: string; meant: string }> {
  return Object.keys(env).flatMap((name) => {
    if (KNOWN.has(name)) return [];
    const meant = ALL_SETTINGS.map((spec) => spec.name).find(
      (known) => distance(name.toUpperCase(), known) <= Math.max(2, Math.floor(known.length / 5)),
    );
    return meant ? [{ name, meant }] : [];
  });
}

/** A file as the user would type it: relative when it is inside the working directory. */
export const shown = (file: string): string => {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
};

/** One problem on one line: the variable, what is wrong with it, the fix. */
export const formatProblem = ({ name, problem, fix }: SettingProblem): string => `${name}: ${problem}. Fix: ${fix}.`;

/**
 * Every broken value in an env file, one line each (variable, what is wrong, the fix), under one
 * heading; undefined when there is none. Values are never shown.
 */
function brokenSettingsReport(env: EnvVars, file: string): string | undefined {
  const problems = checkSettings(env);
  if (problems.length === 0) return undefined;
  return [
    `${shown(file)} has ${problems.length} broken setting${problems.length === 1 ? '' : 's'}:`,
    ...problems.map((problem) => `  ${formatProblem(problem)}`),
  ].join('\n');
}

/** "Did you mean" lines for misspelt variable names (a warning: the variable is simply not read). */
export function misspeltReport(env: EnvVars, file: string): string | undefined {
  const misses = misspeltNames(env);
  if (misses.length === 0) return undefined;
  return misses.map(({ name, meant }) => `warning: ${shown(file)} sets ${name}, which nothing reads: did you mean ${meant}?`).join('\n');
}

/** Warnings for guessable secrets (API_TOKEN): fine on this machine, refused by every deploy. Values are never shown. */
function weakSecretsReport(env: EnvVars, file: string): string | undefined {
  const weak = weakSecrets(env);
  if (weak.length === 0) return undefined;
  return weak.map((problem) => `warning: ${shown(file)}: ${formatProblem(problem)} (a deploy refuses it.)`).join('\n');
}

/**
 * What `npm start`, `npm run build` and a local server's preflight say of an env file, in this
 * order: the warnings (misspelt names, then guessable secrets), and the broken settings that
 * refuse the command (undefined when none). Values are never shown.
 */
export function envFileReports(env: EnvVars, file: string): { warnings: string[]; refusal: string | undefined } {
  const warnings = [misspeltReport(env, file), weakSecretsReport(env, file)].filter((report) => report !== undefined);
  return { warnings, refusal: brokenSettingsReport(env, file) };
}
