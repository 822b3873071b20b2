// The operator dashboard (bundled by scripts/build.ts into dist/assets/dashboard/dashboard.js with
// uPlot): asks for the API token once, keeps it in this tab's sessionStorage, and reads the bearer
// JSON routes. Every number is text too (charts come with a table); nothing from the API is HTML.
import uPlot from 'uplot';

const TOKEN_KEY = 'twilio-comms.dashboard.token';
const CAMPAIGNS_KEY = 'twilio-comms.dashboard.campaigns';
const HOURS = 12;
const CONSENT_DAYS = 14;
const CAMPAIGNS = 5;

const $ = (selector) => document.querySelector(selector);

/** An element with attributes and children (strings become text nodes, never HTML). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A table: its attributes, its header cells (one row of `th`) and its body rows. */
function dataTable(attributes, headCells, rows) {
  return el('table', attributes, el('thead', {}, el('tr', {}, headCells)), el('tbody', {}, rows));
}

const percent = (rate) => (rate === null || rate === undefined ? 'n/a' : `${(rate * 100).toFixed(1)}%`);

/** A refused token (401) from any bearer route. */
class Unauthorized extends Error {}

/** A bearer route's answer (the one path every read takes): a refused token throws Unauthorized, another error its message. */
async function request(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const answer = await fetch(path, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (answer.status === 401) throw new Unauthorized();
  if (!answer.ok) {
    const body = await answer.json().catch(() => ({}));
    throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${answer.status}`);
  }
  return answer;
}

/** A bearer route's JSON. */
const api = async (path) => (await request(path)).json();

function fill(panel, ...children) {
  const body = $(`#${panel} .body`);
  body.replaceChildren(...children);
}

function showLogin(message) {
  $('#panels').hidden = true;
  $('#refresh').hidden = true;
  $('#forget').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message ?? '';
  $('#updated').textContent = '';
  $('#token').value = '';
  $('#token').focus();
}

/** The uPlot chart drawn in each panel, by panel id: redrawn (the old one destroyed) on every load. */
const charts = new Map();

/**
 * A line chart of `series` over `times` (epoch seconds) in `box`: each series a line pattern
 * (`dash`) as well as a colour (`color`, a CSS variable), with points, so it reads without colour.
 * A series with `scale` other than the first's gets its own axis on the right.
 */
function lineChart(panel, box, times, series, { height = 200, scales = {}, labels = {} } = {}) {
  charts.get(panel)?.destroy();
  const css = getComputedStyle(document.documentElement);
  const colour = (name) => css.getPropertyValue(name).trim();
  const axis = { stroke: colour('--fg'), grid: { stroke: colour('--line') }, ticks: { stroke: colour('--line') } };
  const scaleNames = [...new Set(series.map((line) => line.scale ?? 'y'))];
  const countRange = (_u, _min, max) => [0, Math.max(1, max)];
  const chart = new uPlot(
    {
      width: Math.max(300, box.clientWidth || 400),
      height,
      series: [
        {},
        ...series.map((line) => ({
          label: line.label,
          stroke: colour(line.color),
          width: 2,
          ...(line.dash ? { dash: line.dash } : {}),
          scale: line.scale ?? 'y',
          points: { show: true, size: 6 },
        })),
      ],
      scales: Object.fromEntries(scaleNames.map((name) => [name, scales[name] ?? { range: countRange }])),
      axes: [
        axis,
        ...scaleNames.map((name, index) => ({
          ...axis,
          scale: name,
          ...(labels[name] ? { label: labels[name] } : {}),
          ...(index > 0 ? { side: 1, grid: { show: false } } : {}),
        })),
      ],
    },
    [times, ...series.map((line) => line.values)],
    box,
  );
  charts.set(panel, chart);
}

/** A refused token (401): forgotten, and the sign-in form says why. */
function signInAgain() {
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin('That API token was refused (401 unauthorized). Enter the API token again.');
}

function renderHealth(health) {
  const ok = health.status === 'ok';
  const rows = [
    el('p', { class: ok ? 'state-ok' : 'state-bad', 'data-status': health.status }, ok ? 'Status: ok' : 'Status: degraded'),
    el('p', {}, `Version ${health.version}${health.sandbox ? ' (local sandbox)' : ''}`),
  ];
  if (health.brokenSettings?.length) {
    rows.push(el('p', {}, 'Broken settings (the parts they disable are off):'));
    rows.push(
      el(
        'ul',
        { 'aria-label': 'Broken settings' },
        health.brokenSettings.map((name) => el('li', {}, name)),
      ),
    );
  }
  const paused = health.paused;
  if (paused !== undefined) rows.push(el('p', { class: paused ? 'state-bad' : 'state-ok' }, `Sends paused: ${paused ? 'yes' : 'no'}`));
  fill('health', ...rows);
}

/**
 * A per-hour table inside a closed `details` (the chart's numbers as text): one row per hour,
 * `columns` each `{ name, value(hour), key?, num? }` (`key` becomes the cell's data-name).
 */
function hourTable(summary, label, hours, columns) {
  return el(
    'details',
    {},
    el('summary', {}, summary),
    dataTable(
      { 'aria-label': label },
      [el('th', {}, 'Hour (UTC)'), columns.map((column) => el('th', { class: column.num === false ? undefined : 'num' }, column.name))],
      hours.map((hour) =>
        el(
          'tr',
          { 'data-hour': hour.hour },
          el('th', { scope: 'row' }, `${hour.hour.slice(11)}:00`),
          columns.map((column) =>
            el('td', { class: column.num === false ? undefined : 'num', 'data-name': column.key }, column.value(hour)),
          ),
        ),
      ),
    ),
  );
}

/** An hour's start as uPlot's time (epoch seconds). */
const hourTime = (hour) => Date.parse(`${hour.hour}:00:00Z`) / 1000;

function renderDelivery(stats, hours) {
  // The funnel: queued → sent → delivered / undelivered / failed, then what still waits for a receipt.
  const totals = { queued: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, awaiting: 0, silent: 0 };
  for (const hour of hours.hours) for (const step of Object.keys(totals)) totals[step] += hour[step] ?? 0;
  const widest = Math.max(1, ...Object.values(totals));
  const labels = {
    queued: 'queued',
    sent: 'sent',
    delivered: 'delivered',
    undelivered: 'undelivered',
    failed: 'failed',
    awaiting: 'at sent, no receipt yet',
    silent: `at sent after ${stats.silentFiltering.thresholdMinutes} min (silent filtering)`,
  };
  const funnel = dataTable(
    { 'aria-label': `Delivery funnel over the last ${hours.hours.length} hours` },
    [el('th', {}, 'Step'), el('th', { class: 'num' }, 'Messages'), el('th', {}, 'Share')],
    Object.entries(totals).map(([step, count]) =>
      el(
        'tr',
        { 'data-outcome': step },
        el('th', { scope: 'row' }, labels[step]),
        el('td', { class: 'num', 'data-count': step }, count),
        el('td', {}, el('div', { class: 'bar', 'data-outcome': step, style: `width:${Math.round((count / widest) * 100)}%` })),
      ),
    ),
  );
  const silent = stats.silentFiltering;
  const silentLine = el(
    'p',
    { 'data-silent': silent.awaiting, class: silent.awaiting > 0 ? 'state-bad' : 'state-ok' },
    `Silent filtering: ${silent.awaiting} of ${silent.sent} messages sent ${silent.hour.slice(11)}:00–${silent.hour.slice(11)}:59 UTC ` +
      `have no delivery receipt after ${silent.thresholdMinutes} minutes.`,
  );
  const last = stats.lastHour;
  const summary = el(
    'p',
    { 'data-last-hour': last.total },
    `Last hour: ${last.delivered} delivered of ${last.total} (${percent(last.deliveryRate)}); alert below ${percent(stats.alert.threshold)} over ${stats.alert.minimum} messages.`,
  );
  const chartBox = el('div', { class: 'chart', role: 'img', 'aria-label': 'Delivery rate per hour (the table below has the numbers)' });
  const table = hourTable('Per hour, as a table', 'Delivery per hour', hours.hours, [
    { name: 'Queued', value: (hour) => hour.queued },
    { name: 'Sent', value: (hour) => hour.sent },
    { name: 'Delivered', value: (hour) => hour.delivered },
    { name: 'Undelivered', value: (hour) => hour.undelivered },
    { name: 'Failed', value: (hour) => hour.failed },
    { name: 'No receipt', key: 'silent', value: (hour) => (hour.silent === null ? `${hour.awaiting} (waiting)` : hour.silent) },
    { name: 'Rate', value: (hour) => percent(hour.deliveryRate) },
  ]);
  fill('delivery', summary, silentLine, funnel, chartBox, table);
  // The delivery rate (solid line, %) and failures (dashed line, count): two patterns, not two colours alone.
  lineChart(
    'delivery',
    chartBox,
    hours.hours.map(hourTime),
    [
      {
        label: 'Delivery rate (%)',
        color: '--good',
        scale: '%',
        values: hours.hours.map((hour) => (hour.deliveryRate === null ? null : Math.round(hour.deliveryRate * 1000) / 10)),
      },
      {
        label: 'Undelivered + failed',
        color: '--bad',
        dash: [6, 4],
        scale: 'n',
        values: hours.hours.map((hour) => hour.undelivered + hour.failed),
      },
    ],
    { height: 220, scales: { '%': { range: [0, 100] } }, labels: { '%': '%', n: 'failures' } },
  );
}

function renderErrors(hours) {
  if (hours.topErrors.length === 0)
    return fill('errors', el('p', {}, `No failed delivery with an error code in the last ${hours.hours.length} hours.`));
  fill(
    'errors',
    dataTable(
      { 'aria-label': 'Top error codes' },
      [el('th', {}, 'Code'), el('th', { class: 'num' }, 'Count'), el('th', {}, 'What it means'), el('th', {}, 'What to do')],
      hours.topErrors.map((error) =>
        el(
          'tr',
          { 'data-code': error.code },
          el(
            'th',
            { scope: 'row' },
            el('a', { href: `https://www.twilio.com/docs/api/errors/${error.code}`, rel: 'noreferrer' }, error.code),
          ),
          el('td', { class: 'num' }, error.count),
          el('td', {}, error.meaning),
          el('td', {}, error.action),
        ),
      ),
    ),
  );
}

/** A definition list of `name: count` pairs, or "none". */
const counts = (label, record) => {
  const entries = Object.entries(record ?? {});
  return el(
    'div',
    { 'data-group': label },
    el('h3', {}, label),
    entries.length === 0
      ? el('p', {}, 'none')
      : el(
          'dl',
          {},
          entries.map(([name, value]) => [el('dt', {}, name), el('dd', { 'data-name': name }, value)]),
        ),
  );
};

function renderVerify(stats) {
  const day = stats.today;
  fill(
    'verify',
    el('p', {}, `Today (${day.day}, UTC); yesterday ${sum(stats.yesterday.sent)} codes sent, ${stats.yesterday.approved} approved.`),
    el('p', { 'data-approved': day.approved }, `Codes sent: ${sum(day.sent)}; approved: ${day.approved}`),
    counts('Sent by channel', day.sent),
    counts('Refused by reason', day.refused),
    counts('Checks failed by reason', day.checkFailed),
    counts('Paid calls', day.paid),
    ...verifyHours(stats.hours),
  );
  // Codes sent (solid), approvals (dashed) and refusals (dotted): three line patterns, not three colours alone.
  lineChart('verify', $('#verify .chart'), stats.hours.map(hourTime), [
    { label: 'Codes sent', color: '--fg', values: stats.hours.map((hour) => hour.sent) },
    { label: 'Approved', color: '--good', dash: [6, 4], values: stats.hours.map((hour) => hour.approved) },
    { label: 'Refused', color: '--bad', dash: [2, 3], values: stats.hours.map((hour) => sum(hour.refused)) },
  ]);
}

/** Verify per hour: a chart box and the same numbers as a table. */
function verifyHours(hours) {
  const chartBox = el('div', { class: 'chart', role: 'img', 'aria-label': 'Verify per hour (the table below has the numbers)' });
  const reasons = (record) =>
    Object.entries(record ?? {})
      .map(([name, value]) => `${name} ${value}`)
      .join(', ');
  const table = hourTable('Verify per hour, as a table', 'Verify per hour', hours, [
    { name: 'Codes sent', key: 'sent', value: (hour) => hour.sent },
    { name: 'Approved', key: 'approved', value: (hour) => hour.approved },
    { name: 'Refused', key: 'refused', value: (hour) => sum(hour.refused) },
    { name: 'Refused by reason', key: 'reasons', num: false, value: (hour) => reasons(hour.refused) },
    { name: 'Lookups paid', key: 'lookup', value: (hour) => hour.paid.lookup },
    { name: 'Sends paid', key: 'verification', value: (hour) => hour.paid.verification },
  ]);
  return [el('h3', {}, `The last ${hours.length} hours`), chartBox, table];
}

const sum = (record) => Object.values(record ?? {}).reduce((total, value) => total + value, 0);

/**
 * Loads one voicemail's recording on demand (opening the page fetches no audio): read with the
 * bearer token into a blob URL, so the token is never in a URL the audio element requests.
 */
async function loadRecording(button, recordingSid) {
  const item = button.closest('li');
  button.disabled = true;
  let blob;
  try {
    blob = await (await request(`/voice/voicemail-audio?sid=${encodeURIComponent(recordingSid)}`)).blob();
  } catch (error) {
    if (error instanceof Unauthorized) return signInAgain();
    button.replaceWith(el('p', { role: 'alert' }, `The recording could not be loaded: ${error.message}.`));
    return;
  }
  const audio = el('audio', {
    controls: '',
    preload: 'metadata',
    'aria-label': `Recording from ${item.dataset.from}`,
    'data-type': blob.type,
  });
  audio.src = URL.createObjectURL(blob);
  button.replaceWith(audio);
  audio.focus();
}

function renderVoicemails(body) {
  if (body.voicemails.length === 0) return fill('voicemails', el('p', {}, 'No voicemail yet.'));
  fill(
    'voicemails',
    el(
      'ul',
      { 'aria-label': 'Recent voicemails' },
      body.voicemails.map((voicemail) =>
        el(
          'li',
          { class: 'voicemail', 'data-recording': voicemail.recordingSid, 'data-from': voicemail.from },
          el(
            'p',
            {},
            el('strong', {}, voicemail.from),
            ` · ${new Date(voicemail.receivedAt).toLocaleString()} · ${voicemail.durationSeconds} s`,
          ),
          el(
            'p',
            {},
            voicemail.transcription.status === 'completed'
              ? `“${voicemail.transcription.text ?? ''}”`
              : `Transcription ${voicemail.transcription.status}.`,
          ),
          (() => {
            const button = el('button', { type: 'button' }, 'Play recording');
            button.addEventListener('click', () => void loadRecording(button, voicemail.recordingSid));
            return button;
          })(),
        ),
      ),
    ),
  );
}

function watchedCampaigns() {
  try {
    return JSON.parse(sessionStorage.getItem(CAMPAIGNS_KEY) ?? '[]');
  } catch {
    return [];
  }
}

/** One campaign as GET /campaigns/status answers it (by id or in the list): a progress bar, the time left at its rate, delivery and STOP rates. */
function campaignItem(status) {
  const { id, progress, plan } = status;
  const done = progress.sent + progress.refused + progress.failed;
  const stopRate = progress.sent === 0 ? null : status.stopsWithin24h / progress.sent;
  const remaining = plan.mps > 0 && progress.pending > 0 ? Math.ceil(progress.pending / plan.mps) : null;
  const eta = remaining === null ? (progress.pending === 0 ? 'none left' : 'n/a') : `${remaining} s at ${plan.mps} msg/s`;
  return el(
    'li',
    { 'data-campaign': id, 'data-stops': status.stopsWithin24h },
    el('h3', {}, `${status.name ?? id} (${status.state})`),
    el('label', { for: `progress-${id}` }, `${done} of ${progress.total} handled`),
    el('progress', { id: `progress-${id}`, max: Math.max(1, progress.total), value: done }, `${done} of ${progress.total}`),
    el(
      'p',
      {},
      `Sent ${progress.sent}, refused ${progress.refused}, failed ${progress.failed}, pending ${progress.pending}. ` +
        `ETA ${eta}. Delivery ${percent(status.deliveryRate)}. ` +
        `STOP rate ${percent(stopRate)} (${status.stopsWithin24h} STOPs).`,
    ),
  );
}

/**
 * The newest campaigns (GET /campaigns/status with no id, one bounded page), then any campaign id watched in
 * this tab that the page does not hold (an older one), read one by one.
 */
let lastListed = { campaigns: [] };
async function renderCampaigns(listed = lastListed) {
  lastListed = listed;
  const shown = new Set(listed.campaigns.map((status) => status.id));
  const watched = await Promise.all(
    watchedCampaigns()
      .filter((id) => !shown.has(id))
      .map(async (id) => {
        try {
          return campaignItem(await api(`/campaigns/status?id=${encodeURIComponent(id)}`));
        } catch (error) {
          if (error instanceof Unauthorized) throw error;
          return el('li', { 'data-campaign': id }, el('p', { class: 'error' }, `${id}: ${error.message}`));
        }
      }),
  );
  const items = [...listed.campaigns.map(campaignItem), ...watched];
  if (items.length === 0) return fill('campaigns', el('p', {}, 'No campaign yet (POST /campaigns creates one).'));
  fill(
    'campaigns',
    el('p', {}, `The ${listed.campaigns.length} newest${watched.length ? `, and ${watched.length} watched by id` : ''}.`),
    el('ul', { 'aria-label': 'Campaigns' }, items),
  );
}

const CHANNEL_NAMES = { sms: 'SMS', whatsapp: 'WhatsApp', voice: 'Voice' };
const METHOD_NAMES = {
  keyword: 'keyword (STOP, START…)',
  words: 'in words',
  keypad: 'keypad (IVR 9)',
  'twilio-21610': "carrier's 21610",
  api: 'API (POST /consent)',
  campaign: 'campaign upload',
};

/** `sms 2, voice 1`: the non-zero entries of a count record, with their names. */
const nonZero = (record, names) =>
  Object.entries(record)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${names[name] ?? name} ${count}`)
    .join(', ') || 'none';

/** Opt-outs and opt-ins per day (GET /consent?days=): totals by channel and method, a chart and a table per day. */
function renderConsent(body) {
  const { days } = body;
  const total = (change) => days.reduce((sum, day) => sum + day[change].total, 0);
  const window = (change, group) => {
    const sums = {};
    for (const day of days) for (const [name, count] of Object.entries(day[change][group])) sums[name] = (sums[name] ?? 0) + count;
    return sums;
  };
  const breakdown = (group, names, label) => {
    const out = window('optOut', group);
    const inn = window('optIn', group);
    return dataTable(
      { 'aria-label': label },
      [
        el('th', {}, group === 'channels' ? 'Channel' : 'Method'),
        el('th', { class: 'num' }, 'Opt-outs'),
        el('th', { class: 'num' }, 'Opt-ins'),
      ],
      Object.keys(names).map((name) =>
        el(
          'tr',
          { [`data-${group === 'channels' ? 'channel' : 'method'}`]: name },
          el('th', { scope: 'row' }, names[name]),
          el('td', { class: 'num', 'data-change': 'opt-out' }, out[name] ?? 0),
          el('td', { class: 'num', 'data-change': 'opt-in' }, inn[name] ?? 0),
        ),
      ),
    );
  };
  const chartBox = el('div', {
    class: 'chart',
    role: 'img',
    'aria-label': 'Opt-outs and opt-ins per day (the table below has the numbers)',
  });
  const perDay = el(
    'details',
    {},
    el('summary', {}, 'Per day, as a table'),
    dataTable(
      { 'aria-label': 'Consent per day' },
      ['Day (UTC)', 'Opt-outs', 'Opt-ins', 'Opt-outs by channel · method', 'Opt-ins by channel · method'].map((name, index) =>
        el('th', { class: index === 1 || index === 2 ? 'num' : undefined }, name),
      ),
      days.map((day) =>
        el(
          'tr',
          { 'data-day': day.day },
          el('th', { scope: 'row' }, day.day),
          el('td', { class: 'num', 'data-change': 'opt-out' }, day.optOut.total),
          el('td', { class: 'num', 'data-change': 'opt-in' }, day.optIn.total),
          el('td', {}, `${nonZero(day.optOut.channels, CHANNEL_NAMES)} · ${nonZero(day.optOut.methods, METHOD_NAMES)}`),
          el('td', {}, `${nonZero(day.optIn.channels, CHANNEL_NAMES)} · ${nonZero(day.optIn.methods, METHOD_NAMES)}`),
        ),
      ),
    ),
  );
  fill(
    'consent',
    el(
      'p',
      { 'data-opt-outs': total('optOut'), 'data-opt-ins': total('optIn') },
      `Last ${days.length} days (UTC): ${total('optOut')} opt-outs, ${total('optIn')} opt-ins.`,
    ),
    breakdown('channels', CHANNEL_NAMES, 'Consent changes by channel'),
    breakdown('methods', METHOD_NAMES, 'Consent changes by method'),
    chartBox,
    perDay,
  );
  lineChart(
    'consent',
    chartBox,
    days.map((day) => Date.parse(`${day.day}T00:00:00Z`) / 1000),
    [
      { label: 'Opt-outs', color: '--bad', values: days.map((day) => day.optOut.total) },
      { label: 'Opt-ins', color: '--good', dash: [6, 4], values: days.map((day) => day.optIn.total) },
    ],
  );
}

const VERDICT_WORDS = {
  allowed: 'allowed',
  opted_out: 'refused: opted out',
  no_marketing_consent: 'refused: no marketing opt-in recorded',
};
/** A consent verdict in words, or as the API gave it when it is one we do not know. */
const verdictText = (verdict) => VERDICT_WORDS[verdict] ?? verdict;

/** One number's consent (GET /consent?number=): per channel, the opt-out state and what each purpose may do; its history. */
async function lookUpConsent(number) {
  const result = $('#consent-result');
  result.replaceChildren(el('p', {}, `Looking up ${number}…`));
  try {
    const consent = await api(`/consent?number=${encodeURIComponent(number)}`);
    result.replaceChildren(
      dataTable(
        { 'aria-label': `Consent of ${consent.number}`, 'data-number': consent.number },
        ['Channel', 'Opted out', 'Transactional', 'Marketing'].map((name) => el('th', {}, name)),
        Object.entries(consent.channels).map(([channel, state]) =>
          el(
            'tr',
            { 'data-channel': channel },
            el('th', { scope: 'row' }, CHANNEL_NAMES[channel] ?? channel),
            el(
              'td',
              { 'data-opted-out': String(state.optedOut) },
              state.optedOut
                ? `yes${state.scope === 'marketing' ? ' (marketing only)' : ''}, since ${state.since} (${state.source})`
                : state.since
                  ? `no, since ${state.since} (${state.source})`
                  : 'no',
            ),
            el('td', {}, verdictText(consent.purposes[channel].transactional)),
            el('td', {}, verdictText(consent.purposes[channel].marketing)),
          ),
        ),
      ),
      el('h3', {}, `History (${consent.history.length} changes, oldest first)`),
      consent.history.length === 0
        ? el('p', {}, 'No change recorded.')
        : el(
            'ol',
            { 'aria-label': `Consent history of ${consent.number}` },
            consent.history.map((event) =>
              el(
                'li',
                {},
                `${event.at}: ${event.change} on ${CHANNEL_NAMES[event.channel] ?? event.channel} (${event.purpose}), ${event.source}`,
              ),
            ),
          ),
    );
  } catch (error) {
    if (error instanceof Unauthorized) throw error;
    result.replaceChildren(el('p', { class: 'error', role: 'alert' }, `${number}: ${error.message}`));
  }
}

/** Reads every panel's route side by side; a refused token asks again. */
async function load() {
  $('#login').hidden = true;
  $('#updated').textContent = 'Loading…';
  try {
    const [health, stats, hours, verify, voicemails, consent, campaigns] = await Promise.all([
      fetch('/health', { cache: 'no-store' }).then((answer) => answer.json()),
      api('/sms/stats'),
      api(`/sms/hours?hours=${HOURS}`),
      api(`/verify/stats?hours=${HOURS}`),
      api('/voice/voicemails?limit=10'),
      api(`/consent?days=${CONSENT_DAYS}`),
      api(`/campaigns/status?limit=${CAMPAIGNS}`),
    ]);
    $('#panels').hidden = false;
    $('#refresh').hidden = false;
    $('#forget').hidden = false;
    renderHealth(health);
    renderDelivery(stats, hours);
    renderErrors(hours);
    renderVerify(verify);
    renderVoicemails(voicemails);
    renderConsent(consent);
    await renderCampaigns(campaigns);
    $('#updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    if (error instanceof Unauthorized) {
      return signInAgain();
    }
    $('#updated').textContent = `Could not load: ${error.message}`;
  }
}

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
  $('#token').value = '';
  void load();
});
$('#refresh').addEventListener('click', () => void load());
$('#consent-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const number = $('#consent-number').value.trim();
  if (number) void lookUpConsent(number).catch((error) => (error instanceof Unauthorized ? signInAgain() : undefined));
});
$('#forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin('Token forgotten.');
});
$('#campaign-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('#campaign-id').value.trim();
  if (id && !watchedCampaigns().includes(id)) sessionStorage.setItem(CAMPAIGNS_KEY, JSON.stringify([...watchedCampaigns(), id]));
  $('#campaign-id').value = '';
  void renderCampaigns().catch((error) => (error instanceof Unauthorized ? signInAgain() : undefined));
});

if (sessionStorage.getItem(TOKEN_KEY)) void load();
else showLogin();
