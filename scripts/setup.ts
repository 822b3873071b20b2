// npm run setup [-- --env-file path]: the env file a run without `npm start` needs (`twilio-run start` beside
// `npm run sandbox`): created from .env.example when missing, and in sandbox mode a Verify service SID the sandbox seeds.
import { flag } from '../local/cli-args';
import { ENV_FILE, ensureEnvFile, ensureSandboxVerifyService } from '../local/env-file';

const envFile = flag(process.argv, 'env-file') ?? ENV_FILE;
console.log(
  ensureEnvFile(envFile)
    ? `Created ${envFile} from .env.example (sandbox defaults, new API_TOKEN).`
    : `${envFile} exists; its values are kept.`,
);
const verifyService = ensureSandboxVerifyService(envFile);
if (verifyService) console.log(`VERIFY_SERVICE_SID=${verifyService} (npm run sandbox and npm start seed this Verify service).`);
