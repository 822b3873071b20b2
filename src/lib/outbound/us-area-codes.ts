/**
 * US area codes → state, for the states whose marketing windows or zones matter most (the
 * states with a window stricter than the federal one, and the split-zone examples), from the
 * NANPA area code assignments (https://nationalnanpa.com/enas/geoAreaCodeNumberReport.do),
 * cross-checked against a by-state list (https://classicalfinance.com/us-area-codes: FL, CA, CT, IN,
 * MD, NY agree; new overlays such as NY's 363 are left out, so they fall to the strictest rule).
 * Partial on purpose: a number whose area code is not listed is treated as anywhere in the US
 * (every US zone, the strictest window), never as somewhere lenient.
 */
const AREA_CODES: Readonly<Record<string, string>> = {
  FL: '239 305 321 352 386 407 448 561 656 689 727 754 772 786 813 850 863 904 941 954',
  OK: '405 539 572 580 918',
  MD: '227 240 301 410 443 667',
  CT: '203 475 860 959',
  CA: '209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951',
  TX: '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979',
  IN: '219 260 317 463 574 765 812 930',
  NY: '212 315 332 347 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934',
  WA: '206 253 360 425 509 564',
  // Days-of-week windows (see marketing-hours.ts); by-state lists: https://en.m.wikipedia.org/wiki/Area_code_601 (228, 601/769, 662).
  MS: '228 601 662 769',
  RI: '401',
};

/**
 * The IANA zones each listed state's territory spans: a number does not say where in the state
 * its owner is, so a window must hold in every one (Florida's panhandle is Central, El Paso is
 * Mountain, Indiana's north-west and south-west corners are Central).
 */
export const STATE_ZONES: Readonly<Record<string, readonly string[]>> = {
  FL: ['America/New_York', 'America/Chicago'],
  OK: ['America/Chicago'],
  MD: ['America/New_York'],
  CT: ['America/New_York'],
  CA: ['America/Los_Angeles'],
  TX: ['America/Chicago', 'America/Denver'],
  IN: ['America/Indiana/Indianapolis', 'America/Chicago'],
  NY: ['America/New_York'],
  WA: ['America/Los_Angeles'],
  MS: ['America/Chicago'],
  RI: ['America/New_York'],
};

/** Every zone a US number of unknown area code may be in (mainland, Arizona, Alaska, Hawaii). */
export const US_ZONES: readonly string[] = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
];

const STATE_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(AREA_CODES).flatMap(([state, codes]) => codes.split(' ').map((code) => [code, state] as const)),
);

/** The state of a US number (+1 NPA ...) by its area code, when the table lists it. */
export const stateOfUsNumber = (e164: string): string | undefined => STATE_OF.get(e164.slice(2, 5));
