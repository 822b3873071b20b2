import { readFileSync } from 'node:fs';
import { CONFIGURATION_DOC_PATH, ENV_EXAMPLE_PATH, renderEnvExample, withSettingsTables } from '../../../local/settings-docs';
import { readEnvFile } from '../../../local/env-file';
import { ALL_SETTINGS, checkSettings } from '../../../src/lib/config/settings';

const HOW_TO_FIX = 'the settings schema (src/lib/config/schema.ts) and its docs drifted: run `npm run settings:docs`';

describe('.env.example and docs/configuration.md come from the settings schema', () => {
  it('.env.example is exactly what the schema renders', () => {
    const actual = readFileSync(ENV_EXAMPLE_PATH, 'utf8');
    if (actual !== renderEnvExample()) throw new Error(HOW_TO_FIX);
  });

  it("docs/configuration.md's tables are exactly what the schema renders", () => {
    const page = readFileSync(CONFIGURATION_DOC_PATH, 'utf8');
    if (withSettingsTables(page) !== page) throw new Error(HOW_TO_FIX);
  });

  it('.env.example lists every setting once and is itself valid (it is the sandbox default)', () => {
    const names = [...readFileSync(ENV_EXAMPLE_PATH, 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]);
    expect(names).toEqual(ALL_SETTINGS.map((spec) => spec.name));
    expect(checkSettings(readEnvFile(ENV_EXAMPLE_PATH))).toEqual([]);
  });
});
