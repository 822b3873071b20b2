import type { ESLint, Linter, Rule } from 'eslint';

export type RuleName =
  | 'no-hardcoded-sid'
  | 'no-hardcoded-auth-token'
  | 'webhook-signature'
  | 'no-client-credentials'
  | 'e164-before-send'
  | 'no-hardcoded-phone'
  | 'handle-twilio-errors'
  | 'specific-error-codes'
  | 'stop-keywords'
  | 'opt-out-before-send';

declare const plugin: ESLint.Plugin & {
  meta: { name: string; version: string };
  rules: Record<RuleName, Rule.RuleModule>;
  configs: {
    /** The rules at the severities of the rule table; TypeScript parsing when typescript-eslint is installed. */
    recommended: Linter.Config[];
    /** Every rule on, specific-error-codes as a warning. */
    all: Linter.Config[];
  };
};

export = plugin;
