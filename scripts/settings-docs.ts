// npm run settings:docs: writes .env.example and docs/configuration.md's tables from the settings
// schema (src/lib/config/schema.ts). A test fails when they drift.
import { writeSettingsDocs } from '../local/settings-docs';

const changed = writeSettingsDocs();
console.log(changed.length ? `updated ${changed.join(' and ')}` : '.env.example and docs/configuration.md are up to date');
