import yargs from 'yargs/yargs';
import type { EnvVars } from './env-file';

/**
 * `twilio-run deploy`, run in this process the way the Twilio CLI's serverless plugin runs it
 * (`handler(flags, externalCliOptions)` from twilio-run's deploy command): the credentials travel
 * in memory, never on a command line where `ps` would show them.
 */

/** What twilio-run's deploy command takes from the Twilio CLI: the credentials to deploy with. */
export interface DeployCredentials {
  username: string;
  password: string;
  accountSid: string;
  profile: undefined;
  logLevel: undefined;
  outputFormat: undefined;
}

/** The credentials a deploy uses: the API key when there is one (Twilio's advice), else the Auth Token. */
export function deployCredentials(env: EnvVars): { credentials: DeployCredentials; kind: 'API key' | 'Auth Token' } {
  const useKey = Boolean(env.API_KEY && env.API_SECRET);
  const [username, password] = useKey ? [env.API_KEY ?? '', env.API_SECRET ?? ''] : [env.ACCOUNT_SID ?? '', env.AUTH_TOKEN ?? ''];
  return {
    credentials: {
      username,
      password,
      accountSid: env.ACCOUNT_SID ?? '',
      profile: undefined,
      logLevel: undefined,
      outputFormat: undefined,
    },
    kind: useKey ? 'API key' : 'Auth Token',
  };
}

/** Arguments that would put a secret on the command line: refused, the env file is the place. */
const SECRET_FLAGS = ['--username', '-u', '--password', '-p'];
export const secretFlagIn = (args: readonly string[]): string | undefined =>
  args.find((arg) => SECRET_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));

interface DeployCommand {
  handler(flags: Record<string, unknown>, external: DeployCredentials): Promise<void>;
  cliInfo: { options: Record<string, object> };
}

/** twilio-run's deploy flags, parsed by its own option table, with the env file set. */
function deployFlags(envFile: string, args: readonly string[]): Record<string, unknown> {
  const command = require('twilio-run/dist/commands/deploy') as DeployCommand;
  const flags = yargs([...args])
    .options(command.cliInfo.options)
    .help(false)
    .version(false)
    .parseSync() as Record<string, unknown>;
  return { ...flags, env: envFile };
}

/**
 * twilio-run's pretty printer shows the first 4 characters of the password on a terminal
 * ("AkpA****…"). A log must not carry any part of a secret: redact it all.
 */
export function redactTwilioRunPasswords(): void {
  const utils = require('twilio-run/dist/printers/utils') as { redactPartOfString: (input: string) => string };
  utils.redactPartOfString = (input: string) => '*'.repeat(Math.min(input.length, 32));
}

/** What a deploy would do (twilio-run's own resolution of flags, env file and credentials), without uploading. */
export async function deployPlan(envFile: string, args: readonly string[], env: EnvVars): Promise<string[]> {
  const deployConfig = require('twilio-run/dist/config/deploy') as {
    getConfigFromFlags(flags: Record<string, unknown>, external: DeployCredentials): Promise<Record<string, unknown>>;
  };
  const { credentials, kind } = deployCredentials(env);
  const config = await deployConfig.getConfigFromFlags(deployFlags(envFile, args), credentials);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return [
    `account          ${text(config.username).startsWith('SK') ? (env.ACCOUNT_SID ?? '') : text(config.username)}`,
    `credentials      ${kind}${kind === 'API key' ? ` ${text(config.username)}` : ''} (from the env file, in memory; never on a command line)`,
    `service          ${text(config.serviceSid) || text(config.serviceName)}${text(config.functionsEnv) ? ` (environment ${text(config.functionsEnv)})` : ''}`,
    `folders          ${text(config.functionsFolderName)}, ${text(config.assetsFolderName)} (runtime ${text(config.runtime)})`,
    `variables        ${Object.keys(config.env as Record<string, string>).join(', ')}`,
  ];
}

/** Deploys with twilio-run's own deploy command, in this process. */
export async function deployWithTwilioRun(envFile: string, args: readonly string[], env: EnvVars): Promise<void> {
  redactTwilioRunPasswords();
  const command = require('twilio-run/dist/commands/deploy') as DeployCommand;
  await command.handler(deployFlags(envFile, args), deployCredentials(env).credentials);
}
