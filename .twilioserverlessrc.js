// The Serverless Toolkit's configuration: read by twilio-run and by the Twilio CLI's serverless
// plugin (which wraps twilio-run) for every command. It is JavaScript (a format the toolkit
// supports) for one reason: neither tool has a pre-deploy hook, and this file is the one thing
// both load before `deploy` uploads or `start` serves. For those two commands it runs
// local/preflight.ts, which refuses a stale or missing dist/, an env file with a local-only
// (TWILIO_SANDBOX_URL), sandbox or broken setting, and prints what `start` does not check.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

/** The command being run: `deploy`/`start` (twilio-run; no command means start) or `serverless:deploy`/`serverless:start`. */
function commandOf(argv) {
  const words = argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const topic = words.indexOf('serverless');
  if (topic >= 0 && words[topic + 1]) return `serverless:${words[topic + 1]}`;
  const cli = words.find((word) => word.startsWith('serverless:'));
  if (cli) return cli;
  if (!/twilio-run/.test(argv[1] || '')) return undefined;
  return words[0] === undefined || words[0] === 'dev' ? 'start' : words[0];
}

const command = commandOf(process.argv);
if (/^(serverless:)?(deploy|start)$/.test(command || '') && process.env.TWILIO_COMMS_PREFLIGHT !== 'done') {
  const result = spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), path.join(__dirname, 'local', 'preflight.ts'), command, ...process.argv.slice(2)],
    {
      cwd: process.cwd(),
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status === null ? 1 : result.status);
}

module.exports = {
  functionsFolder: 'dist/functions',
  assetsFolder: 'dist/assets',
  runtime: 'node22',
  // Deploys upload .env.deploy, never .env (the local file, with TWILIO_SANDBOX_URL in it).
  commands: { deploy: { env: '.env.deploy' } },
};
