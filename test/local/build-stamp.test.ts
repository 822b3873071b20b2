import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { staleBuild, stampFile, writeBuildStamp } from '../../local/build-stamp';
import { deployPreflight } from '../../local/preflight';
import { match } from '../support/match';

/** A project of its own: sources, a package.json and a dist/ folder. */
function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stamp-'));
  mkdirSync(path.join(root, 'src', 'lib'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'lib', 'index.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, 'package.json'), '{"name":"x"}\n');
  mkdirSync(path.join(root, 'dist', 'functions'), { recursive: true });
  return root;
}

describe('the build stamp', () => {
  it('a fresh build is fine; a change to any source after it is stale; no stamp or no dist/ is refused', () => {
    const root = project();
    writeBuildStamp(root);
    expect(staleBuild(root)).toBeUndefined();
    writeFileSync(path.join(root, 'src', 'lib', 'index.ts'), 'export const a = 2;\n');
    expect(staleBuild(root)).toMatch(/^dist\/ is stale: src\/ changed since it was built \(.+\)\. Fix: npm run build\.$/);
    writeBuildStamp(root);
    writeFileSync(path.join(root, 'src', 'lib', 'new.ts'), '');
    expect(staleBuild(root)).toMatch(/is stale/);
    rmSync(stampFile(root));
    expect(staleBuild(root)).toMatch(/has no build stamp/);
    rmSync(path.join(root, 'dist'), { recursive: true });
    expect(staleBuild(root)).toMatch(/^dist\/ is missing/);
  });

  it("the deploy preflight lists a stale build and the env file's problems together, and passes a fresh build with a clean file", async () => {
    const root = project();
    const envFile = path.join(root, '.env.deploy');
    const real = `ACCOUNT_SID=AC${'a1'.repeat(16)}\nAPI_KEY=SK${'b2'.repeat(16)}\nAPI_SECRET=XBy2S6ViQH7Ph75imXWPM7-K800hJ-rK\nAPI_TOKEN=rYFqXd32xUDeA2fXH4biUEEMwyvHxz8voHscofi0UzE\n`;
    writeFileSync(envFile, `TWILIO_SANDBOX_URL=http://localhost:3001\n${real}`);
    const refused = await deployPreflight('serverless:deploy', ['--env', envFile], { root });
    expect(refused.refused).toBe(true);
    expect(refused.lines).toEqual([
      'twilio serverless:deploy refused (checked by .twilioserverlessrc.js before any upload):',
      match.stringMatching(/^ {2}dist\/ has no build stamp/),
      match.stringMatching(/^ {2}TWILIO_SANDBOX_URL: is local only/),
    ]);
    writeBuildStamp(root);
    writeFileSync(envFile, real);
    expect(await deployPreflight('deploy', [`--env=${envFile}`], { root })).toEqual({
      refused: false,
      lines: [match.stringMatching(/^preflight: dist\/ matches the sources/)],
    });
  });
});
