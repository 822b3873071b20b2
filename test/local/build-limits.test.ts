// npm run build refuses what Twilio would refuse at deploy: more Functions than a build holds.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { functionCountProblem } from '../../local/build-limits';
import { SRC_DIR } from '../../local/layout';
import { MAX_BUILD_FUNCTION_VERSIONS } from '../../sandbox/serverless/limits';

const routes = (count: number): string[] => Array.from({ length: count }, (_, i) => `route-${i}.ts`);

describe('the build limits', () => {
  it('accepts 50 Functions and refuses 51, naming the limit and the fix', () => {
    expect(functionCountProblem(routes(MAX_BUILD_FUNCTION_VERSIONS))).toBeUndefined();
    expect(functionCountProblem(routes(MAX_BUILD_FUNCTION_VERSIONS + 1))).toMatch(/51 Functions .* at most 50 .* existing Function/);
  });

  it('holds for this project', () => {
    const files = readdirSync(path.join(SRC_DIR, 'functions'), { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    expect(functionCountProblem(files)).toBeUndefined();
  });
});
