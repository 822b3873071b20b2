import { badRequest } from '../errors/app-error';
import { optionalString, type Params } from '../http/params';

/**
 * What a send is for. Marketing needs the person's prior express written consent (47 CFR
 * 64.1200(a)(2)) and a recorded opt-in for it; transactional messages (an order shipped, a code)
 * need only that the person has not opted out. docs/outbound-gate.md#consent.
 */
export const PURPOSES = ['transactional', 'marketing'] as const;
export type Purpose = (typeof PURPOSES)[number];

const isPurpose = (value: string): value is Purpose => (PURPOSES as readonly string[]).includes(value);

/** One parameter naming a purpose (`purpose`, or a campaign's `kind`), when given. */
function readNamed(params: Params, name: string): Purpose | undefined {
  const value = optionalString(params, name, { maxLength: 16 });
  if (value === undefined) return undefined;
  if (!isPurpose(value)) throw badRequest('invalid_parameter', `"${name}" is transactional or marketing`);
  return value;
}

/**
 * A send's purpose from `purpose` (and its synonyms, such as a campaign's `kind`): transactional
 * when none is given, as before purposes had names; two names that disagree are refused.
 */
export function readPurpose(params: Params, synonyms: readonly string[] = []): Purpose {
  const given = ['purpose', ...synonyms].map((name) => [name, readNamed(params, name)] as const).filter(([, value]) => value);
  const [first] = given;
  const conflict = given.find(([, value]) => value !== first?.[1]);
  if (first && conflict) {
    throw badRequest('invalid_parameter', `"${first[0]}" (${first[1]}) and "${conflict[0]}" (${conflict[1]}) disagree: give one purpose`);
  }
  return first?.[1] ?? 'transactional';
}
