// A deployment on disk, as a container runs it: `<dataDir>/sites/<deploymentSid>/` holds the
// Functions (`functions/<path>.js`), the Assets (`assets/<path>`) and `node_modules/<dep>`
// links to the sandbox's installed copies of the build's declared Dependencies only, so a
// Function that requires an undeclared package fails to load, as it does on Twilio.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SiteFiles } from './runner';
import type { DeployedFile, DeployedSite } from './site';

/** Where a file goes under `root`, or undefined for a path that would leave it. */
function placeUnder(root: string, urlPath: string, suffix: string): string | undefined {
  const target = path.resolve(root, `.${urlPath}${suffix}`);
  return target.startsWith(root + path.sep) ? target : undefined;
}

function writeAll(
  root: string,
  files: DeployedFile[],
  suffix: string,
): Array<{ path: string; access: DeployedFile['visibility']; filePath: string }> {
  return files.flatMap((file) => {
    const filePath = placeUnder(root, file.path, suffix);
    if (!filePath) return [];
    mkdirSync(path.dirname(filePath), { recursive: true });
    writeFileSync(filePath, file.content);
    return [{ path: file.path, access: file.visibility, filePath }];
  });
}

/**
 * Writes a deployment's files under `dataDir` (anew each time) and links its declared
 * Dependencies from `nodeModulesDir`. `dataDir` must lie outside any folder with a node_modules
 * above it, or Node's upward lookup would find undeclared packages there.
 */
export function writeDeployment(site: DeployedSite, dataDir: string, nodeModulesDir: string): SiteFiles {
  const baseDir = path.resolve(dataDir, 'sites', site.deploymentSid);
  rmSync(baseDir, { recursive: true, force: true });
  mkdirSync(baseDir, { recursive: true });
  const functions = writeAll(path.join(baseDir, 'functions'), site.functions, '.js');
  const assets = writeAll(path.join(baseDir, 'assets'), site.assets, '');
  for (const name of Object.keys(site.dependencies)) {
    const installed = path.join(nodeModulesDir, name);
    const link = placeUnder(path.join(baseDir, 'node_modules'), `/${name}`, '');
    if (!link || !existsSync(installed)) continue;
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(installed, link, 'dir');
  }
  return { baseDir, functions, assets };
}
