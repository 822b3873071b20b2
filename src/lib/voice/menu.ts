import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CLIENT_IDENTITY_RULE, isClientIdentity } from './client-identity';

/**
 * Who a `dial` rings: a phone number (E.164), or a browser softphone by the identity `POST /token`
 * minted for it (`client:<identity>`). Both are staff the menu names, never the caller's choice.
 */
type DialTarget = { number: string; client?: never } | { client: string; number?: never };

/** What pressing or saying an option does. */
export type MenuAction =
  | ({ type: 'dial'; timeoutSeconds?: number; say?: string } & DialTarget)
  | { type: 'voicemail'; say?: string }
  | { type: 'say'; text: string; then?: 'menu' | 'hangup' }
  | { type: 'sms'; body: string; say?: string }
  | { type: 'menu'; menu: Menu }
  | { type: 'pay'; amount: string; description?: string };

export interface MenuOption {
  /** The key: 0-9, * or #. */
  digit: string;
  /** Words that choose this option by speech (also used as Gather hints). */
  keywords: string[];
  action: MenuAction;
}

export interface Menu {
  /** Said once when the caller first reaches this menu. */
  greeting?: string;
  /** Said inside the Gather, every time (e.g. "For sales press 1 or say sales."). */
  prompt: string;
  options: MenuOption[];
}

/** The whole IVR: the top menu plus what surrounds it. */
export interface IvrConfig {
  menu: Menu;
  /** Said when the caller gives up or after a call ends. */
  goodbye: string;
  /** Said before the beep. */
  voicemailPrompt: string;
  /** Longest voicemail in seconds. */
  voicemailMaxSeconds: number;
  /** After too many invalid choices: leave a voicemail, or say goodbye. */
  onNoChoice: 'voicemail' | 'goodbye';
}

export class MenuError extends Error {
  constructor(readonly problems: string[]) {
    super(`The IVR menu is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'MenuError';
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const DIGIT = /^[0-9*#]$/;

function text(value: unknown, at: string, problems: string[], { optional = false } = {}): string | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${at} must be a non-empty text`);
    return undefined;
  }
  if (value.length > 4000) problems.push(`${at} is longer than 4000 characters`);
  return value.trim();
}

/** A dial's `number` (E.164) or `client` (a softphone identity, as `POST /token` accepts it): exactly one. */
function readDialTarget(value: Json, at: string, problems: string[]): DialTarget | undefined {
  if ((value.number === undefined) === (value.client === undefined)) {
    problems.push(`${at} must have either "number" (a phone number) or "client" (a softphone identity)`);
    return undefined;
  }
  if (value.client !== undefined) {
    const client = typeof value.client === 'string' ? value.client.replace(/^client:/, '') : '';
    if (!isClientIdentity(client)) {
      problems.push(`${at}.client must be a softphone identity: ${CLIENT_IDENTITY_RULE}`);
      return undefined;
    }
    return { client };
  }
  const number = text(value.number, `${at}.number`, problems);
  if (number && !parsePhoneNumberFromString(number)?.isValid()) {
    problems.push(`${at}.number "${number}" is not a valid E.164 phone number`);
    return undefined;
  }
  return number ? { number } : undefined;
}

function readAction(value: unknown, at: string, problems: string[], depth: number): MenuAction | undefined {
  if (!isObject(value)) {
    problems.push(`${at} must be an object with a "type"`);
    return undefined;
  }
  switch (value.type) {
    case 'dial': {
      const target = readDialTarget(value, at, problems);
      const timeout = value.timeoutSeconds;
      if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 5 || timeout > 600))
        problems.push(`${at}.timeoutSeconds must be 5 to 600`);
      return target
        ? {
            type: 'dial',
            ...target,
            ...(typeof timeout === 'number' ? { timeoutSeconds: timeout } : {}),
            ...(value.say ? { say: text(value.say, `${at}.say`, problems) } : {}),
          }
        : undefined;
    }
    case 'voicemail':
      return { type: 'voicemail', ...(value.say ? { say: text(value.say, `${at}.say`, problems) } : {}) };
    case 'say': {
      const said = text(value.text, `${at}.text`, problems);
      if (value.then !== undefined && value.then !== 'menu' && value.then !== 'hangup')
        problems.push(`${at}.then must be "menu" or "hangup"`);
      return said ? { type: 'say', text: said, then: value.then === 'hangup' ? 'hangup' : 'menu' } : undefined;
    }
    case 'sms': {
      const body = text(value.body, `${at}.body`, problems);
      return body ? { type: 'sms', body, ...(value.say ? { say: text(value.say, `${at}.say`, problems) } : {}) } : undefined;
    }
    case 'menu': {
      if (depth >= 3) {
        problems.push(`${at}: sub-menus nest at most 3 deep`);
        return undefined;
      }
      const menu = readMenu(value.menu, `${at}.menu`, problems, depth + 1);
      return menu ? { type: 'menu', menu } : undefined;
    }
    case 'pay': {
      const amount = typeof value.amount === 'string' && /^\d+(\.\d{2})?$/.test(value.amount) ? value.amount : undefined;
      if (!amount) problems.push(`${at}.amount must be a text amount like "25.00"`);
      return amount
        ? { type: 'pay', amount, ...(value.description ? { description: text(value.description, `${at}.description`, problems) } : {}) }
        : undefined;
    }
    default:
      problems.push(`${at}.type must be one of dial, voicemail, say, sms, menu, pay`);
      return undefined;
  }
}

function readMenu(value: unknown, at: string, problems: string[], depth = 0): Menu | undefined {
  if (!isObject(value)) {
    problems.push(`${at} must be an object with "prompt" and "options"`);
    return undefined;
  }
  const prompt = text(value.prompt, `${at}.prompt`, problems);
  const greeting = text(value.greeting, `${at}.greeting`, problems, { optional: true });
  if (!Array.isArray(value.options) || value.options.length === 0) {
    problems.push(`${at}.options must be a non-empty list`);
    return undefined;
  }
  const seen = new Set<string>();
  const options: MenuOption[] = [];
  value.options.forEach((raw: unknown, index: number) => {
    const optionAt = `${at}.options[${index}]`;
    if (!isObject(raw)) return void problems.push(`${optionAt} must be an object`);
    const digit = typeof raw.digit === 'string' || typeof raw.digit === 'number' ? String(raw.digit) : '';
    if (!DIGIT.test(digit)) problems.push(`${optionAt}.digit must be one key: 0-9, * or #`);
    else if (seen.has(digit)) problems.push(`${optionAt}.digit ${digit} is used twice`);
    seen.add(digit);
    const keywords = Array.isArray(raw.keywords)
      ? raw.keywords.filter((k): k is string => typeof k === 'string' && k.trim() !== '').map((k) => k.trim().toLowerCase())
      : [];
    const action = readAction(raw.action, `${optionAt}.action`, problems, depth);
    if (action && DIGIT.test(digit)) options.push({ digit, keywords, action });
  });
  return prompt ? { prompt, options, ...(greeting ? { greeting } : {}) } : undefined;
}

/** The voicemail part of the IVR file as it is when the file does not say otherwise. */
export const DEFAULT_VOICEMAIL: Readonly<Pick<IvrConfig, 'goodbye' | 'voicemailPrompt' | 'voicemailMaxSeconds'>> = {
  goodbye: 'Thank you for calling. Goodbye.',
  voicemailPrompt: 'Please leave a message after the beep.',
  voicemailMaxSeconds: 120,
};

/** Reads and checks the IVR file; every problem is listed with where it is (thrown as MenuError). */
export function readIvrConfig(json: unknown): IvrConfig {
  const problems: string[] = [];
  if (!isObject(json)) throw new MenuError(['the file must hold a JSON object']);
  const menu = readMenu(json.menu, 'menu', problems);
  const goodbye = text(json.goodbye ?? DEFAULT_VOICEMAIL.goodbye, 'goodbye', problems);
  const voicemailPrompt = text(json.voicemailPrompt ?? DEFAULT_VOICEMAIL.voicemailPrompt, 'voicemailPrompt', problems);
  const max = json.voicemailMaxSeconds ?? DEFAULT_VOICEMAIL.voicemailMaxSeconds;
  if (typeof max !== 'number' || max < 5 || max > 3600) problems.push('voicemailMaxSeconds must be 5 to 3600');
  const onNoChoice = json.onNoChoice ?? 'voicemail';
  if (onNoChoice !== 'voicemail' && onNoChoice !== 'goodbye') problems.push('onNoChoice must be "voicemail" or "goodbye"');
  if (problems.length > 0 || !menu || !goodbye || !voicemailPrompt) throw new MenuError(problems);
  return { menu, goodbye, voicemailPrompt, voicemailMaxSeconds: max as number, onNoChoice: onNoChoice as IvrConfig['onNoChoice'] };
}

/** The menu reached by a path of digits ("" = the top menu, "2" = option 2's sub-menu, ...). */
export function menuAt(config: IvrConfig, path: string): Menu | undefined {
  let menu: Menu | undefined = config.menu;
  for (const digit of path) {
    const action: MenuAction | undefined = menu?.options.find((option) => option.digit === digit)?.action;
    menu = action?.type === 'menu' ? action.menu : undefined;
  }
  return menu;
}

/** The option a caller chose by key or by saying one of its keywords. */
export function chooseOption(menu: Menu, digits: string | undefined, speech: string | undefined): MenuOption | undefined {
  if (digits) return menu.options.find((option) => option.digit === digits);
  const said = (speech ?? '').toLowerCase();
  if (!said) return undefined;
  return menu.options.find((option) => option.keywords.some((keyword) => said.includes(keyword)));
}
