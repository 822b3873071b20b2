// Twilio sandbox console: plain browser JavaScript, no framework and no build step. It reads and
// drives the sandbox only through its control plane (/_sandbox/…, JSON) and follows changes over
// Server-Sent Events (/_sandbox/events), re-reading what changed. Every text from the sandbox is
// set with textContent: message bodies and webhook answers are data, never markup.
'use strict';

(() => {
  // ---------------------------------------------------------------- small helpers

  const $ = (id) => document.getElementById(id);

  /** h('li', { class: 'x', onclick }, 'text', child) → an element; strings become text nodes. */
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else if (name === 'class') element.className = value;
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  /** Calls the control plane; resolves with the JSON answer, rejects with its error message. */
  async function api(path, options = {}) {
    const init = { method: options.method || 'GET', headers: {} };
    if (options.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(`/_sandbox${path}`, init);
    const text = await response.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = new Error((data && data.error && data.error.message) || `${response.status} ${response.statusText}`);
      error.status = response.status;
      error.code = data && data.error ? data.error.code : undefined;
      throw error;
    }
    return data;
  }

  const bare = (address) => String(address || '').replace(/^[a-z]+:/, '');
  const timeOf = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '');
  const dateTimeOf = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' }) : '');
  const E164 = /^\+[1-9]\d{6,14}$/;

  /**
   * Replaces a list's children, keeping its scroll and the keyboard focus: a live redraw must not
   * drop the focus of someone choosing an entry by keyboard (a focused control carries `data-key`).
   */
  function replaceChildren(container, children, { stickToBottom = false } = {}) {
    const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 24;
    const top = container.scrollTop;
    const focusedKey = container.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
    container.replaceChildren(...children);
    if (stickToBottom && atBottom) container.scrollTop = container.scrollHeight;
    else container.scrollTop = top;
    if (focusedKey !== undefined) container.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  }

  function showResult(element, text, ok = true) {
    element.textContent = text;
    element.classList.toggle('bad', !ok);
  }

  // ---------------------------------------------------------------- state

  const state = {
    numbers: [],
    messages: [],
    calls: [],
    callbacks: [],
    syncMaps: [],
    phones: [],
    codes: [],
    optouts: [],
    usage: null,
    clock: null,
    faults: [],
    conversations: [],
  };
  const ui = {
    phone: localStorage.getItem('console.phone') || '+12025550100',
    ours: localStorage.getItem('console.ours') || '',
    channel: 'sms',
    conversation: '',
  };

  // ---------------------------------------------------------------- refresh by topic

  const refreshers = {
    numbers: async () => {
      state.numbers = await api('/numbers');
      renderNumbers();
    },
    // The chosen phone's messages and calls (any phone's can be found through the phones list).
    messages: async () => {
      [state.messages, state.phones] = await Promise.all([
        api(`/messages?limit=1000&phone=${encodeURIComponent(ui.phone)}`),
        api('/phones'),
      ]);
      renderThread();
      renderKnownPhones();
    },
    verify: async () => {
      state.codes = await api('/verify/codes');
      renderThread();
      renderCodes();
    },
    optouts: async () => {
      state.optouts = await api('/optouts');
      renderOptOutState();
      renderOptOuts();
    },
    calls: async () => {
      [state.calls, state.phones] = await Promise.all([api(`/calls?limit=30&phone=${encodeURIComponent(ui.phone)}`), api('/phones')]);
      renderCalls();
      renderKnownPhones();
    },
    callbacks: async () => {
      state.callbacks = await api('/callbacks');
      renderCallbacks();
    },
    sync: async () => {
      state.syncMaps = await api('/sync/maps');
      renderSync();
    },
    usage: async () => {
      state.usage = await api('/usage');
      renderUsage();
    },
    clock: async () => {
      state.clock = await api('/clock');
      renderClock();
    },
    faults: async () => {
      state.faults = await api('/faults');
      renderFaults();
    },
    conversations: async () => {
      state.conversations = (await api('/conversations')).conversations;
      renderConversations();
    },
  };
  const ALL = Object.keys(refreshers);
  const dirty = new Set();
  let refreshTimer = null;

  /** Marks topics for re-reading; bursts within 40 ms are read once. */
  function refresh(topics) {
    for (const topic of topics) if (refreshers[topic]) dirty.add(topic);
    if (refreshTimer === null) refreshTimer = setTimeout(runRefresh, 40);
  }

  async function runRefresh() {
    refreshTimer = null;
    const topics = [...dirty];
    dirty.clear();
    await Promise.all(topics.map((topic) => refreshers[topic]().catch((error) => console.warn(`console: ${topic}: ${error.message}`))));
  }

  // ---------------------------------------------------------------- live updates (SSE, polling fallback)

  function connect() {
    const connection = $('connection');
    if (!('EventSource' in window)) {
      connection.textContent = 'Polling every 2 s';
      setInterval(() => refresh(ALL), 2000);
      return;
    }
    const source = new EventSource('/_sandbox/events');
    source.addEventListener('ready', () => {
      connection.textContent = 'Live';
      connection.classList.add('live');
      refresh(ALL);
    });
    source.addEventListener('message', (event) => {
      const batch = JSON.parse(event.data);
      refresh(batch.topics);
      for (const notice of batch.notices || []) showNotice(notice);
    });
    source.addEventListener('error', () => {
      connection.textContent = 'Reconnecting…';
      connection.classList.remove('live');
    });
  }

  function showNotice(notice) {
    const item = h('p', { class: notice.ok ? 'notice' : 'notice bad' }, `${timeOf(new Date().toISOString())} ${notice.text}`);
    const box = $('notices');
    box.prepend(item);
    while (box.children.length > 3) box.lastElementChild.remove();
  }

  // ---------------------------------------------------------------- header: clock

  function renderClock() {
    $('clock').textContent = state.clock ? dateTimeOf(state.clock.iso) : '—';
  }

  $('clock-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const seconds = Number($('advance-amount').value) * Number($('advance-unit').value);
    if (!(seconds > 0)) return;
    try {
      state.clock = await api('/clock', { method: 'POST', body: { advanceSeconds: seconds } });
      renderClock();
      const amount = $('advance-amount').value;
      const unit = $('advance-unit').selectedOptions[0].textContent;
      showNotice({ ok: true, text: `Clock advanced by ${amount} ${amount === '1' ? unit.replace(/s$/, '') : unit}.` });
    } catch (error) {
      showNotice({ ok: false, text: `Clock: ${error.message}` });
    }
  });

  // ---------------------------------------------------------------- phone pane

  const phoneInput = $('phone-number');
  const oursSelect = $('our-number');
  phoneInput.value = ui.phone;

  function renderNumbers() {
    const previous = ui.ours || oursSelect.value;
    oursSelect.replaceChildren(
      ...state.numbers.map((n) =>
        h(
          'option',
          { value: n.phoneNumber },
          `${n.phoneNumber}${n.friendlyName && n.friendlyName !== n.phoneNumber ? ` (${n.friendlyName})` : ''}`,
        ),
      ),
    );
    if (state.numbers.some((n) => n.phoneNumber === previous)) oursSelect.value = previous;
    ui.ours = oursSelect.value;
    renderThread();
  }

  const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

  /** Every phone that talked to our numbers: a button each (choosing one shows its thread and calls), and the input's suggestions. */
  function renderKnownPhones() {
    $('known-phones').replaceChildren(...state.phones.map((p) => h('option', { value: p.phone })));
    $('phones-count').textContent = `(${state.phones.length})`;
    replaceChildren(
      $('phones'),
      state.phones.map((p) =>
        h(
          'li',
          { 'data-phone': p.phone },
          h(
            'button',
            {
              type: 'button',
              class: 'phone-choice',
              'data-key': p.phone,
              'aria-pressed': p.phone === ui.phone ? 'true' : 'false',
              onclick: () => showPhone(p),
            },
            h('span', { class: 'mono' }, p.phone),
            h(
              'span',
              { class: 'count' },
              [
                p.messages ? plural(p.messages, 'message') : null,
                p.calls ? plural(p.calls, 'call') : null,
                p.channels.includes('whatsapp') ? 'WhatsApp' : null,
                timeOf(p.lastAt),
              ]
                .filter(Boolean)
                .join(' · '),
            ),
          ),
        ),
      ),
    );
  }

  /** Shows one phone's conversation: on the channel and with the number of ours it last used. */
  function showPhone(p) {
    if (state.numbers.some((n) => n.phoneNumber === p.lastOurs)) {
      oursSelect.value = p.lastOurs;
      ui.ours = p.lastOurs;
    }
    const radio = document.querySelector(`input[name="channel"][value="${p.lastChannel}"]`);
    if (p.messages > 0 && radio) {
      radio.checked = true;
      ui.channel = p.lastChannel;
    }
    phoneInput.value = p.phone;
    choosePhone(true);
  }

  const STATUS_CLASS = {
    delivered: 'ok',
    read: 'ok',
    received: 'ok',
    sent: 'ok',
    failed: 'bad',
    undelivered: 'bad',
    canceled: 'warn',
    scheduled: 'warn',
  };
  const KEYWORD_TEXT = {
    STOP: 'STOP — opt-out keyword: Twilio blocks further messages to this phone',
    START: 'START — opt-in keyword: messages may flow again',
    HELP: 'HELP — help keyword',
  };

  /** The messages between the phone and our number on the chosen channel, plus Verify's codes. */
  function threadItems() {
    const items = [];
    for (const m of state.messages) {
      if (m.channel !== ui.channel) continue;
      const mine = m.direction === 'inbound';
      const phoneSide = bare(mine ? m.from : m.to);
      const ourSide = bare(mine ? m.to : m.from);
      if (phoneSide !== ui.phone || (ourSide !== ui.ours && m.from !== null)) continue;
      items.push({ at: m.dateCreated, kind: 'message', message: m });
    }
    for (const code of state.codes) {
      if (code.to === ui.phone && code.channel === ui.channel) items.push({ at: code.at, kind: 'code', code });
    }
    return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  function renderMessage(m) {
    const mine = m.direction === 'inbound';
    return h(
      'li',
      { class: mine ? 'msg mine' : 'msg', 'data-sid': m.sid },
      h(
        'div',
        { class: 'meta' },
        h('span', {}, mine ? 'You' : m.direction === 'outbound-reply' ? 'Our reply' : 'Our number'),
        h('time', { datetime: m.dateCreated }, timeOf(m.dateCreated)),
        h('span', { class: `badge ${STATUS_CLASS[m.status] || ''}`, 'data-status': m.status }, m.status),
        m.numSegments > 1 ? h('span', {}, `${m.numSegments} segments`) : null,
      ),
      m.keyword ? h('div', {}, h('span', { class: 'badge warn', 'data-keyword': m.keyword }, KEYWORD_TEXT[m.keyword])) : null,
      m.body ? h('p', { class: 'body' }, m.body) : null,
      m.media.length > 0
        ? h(
            'ul',
            { class: 'media' },
            m.media.map((media) =>
              h('li', {}, h('a', { href: media.url, target: '_blank', rel: 'noopener noreferrer' }, media.url), ` (${media.contentType})`),
            ),
          )
        : null,
      m.errorCode
        ? h(
            'p',
            { class: 'error' },
            `Error ${m.errorCode}: ${m.errorMessage || ''} `,
            h(
              'a',
              { href: `https://www.twilio.com/docs/errors/${m.errorCode}`, target: '_blank', rel: 'noopener noreferrer' },
              `about ${m.errorCode}`,
            ),
          )
        : null,
    );
  }

  function renderCode(code) {
    return h(
      'li',
      { class: 'msg verify' },
      h(
        'div',
        { class: 'meta' },
        h('span', {}, 'Verify'),
        h('time', { datetime: code.at }, timeOf(code.at)),
        h('span', { class: 'badge' }, `code ${code.status}`),
      ),
      h('p', { class: 'body' }, code.body),
    );
  }

  /**
   * What a screen reader hears about the thread: each message that arrives on the phone, and each
   * failure, once (the thread itself is redrawn on every change, so it is not a live region).
   */
  const heard = new Map();
  let threadKey = '';
  function announceThread(items) {
    const key = `${ui.phone}|${ui.ours}|${ui.channel}`;
    const first = key !== threadKey;
    threadKey = key;
    const news = [];
    for (const item of items) {
      const id = item.kind === 'message' ? item.message.sid : `${item.code.verificationSid}@${item.code.at}`;
      const state = item.kind === 'message' ? item.message.status : 'sent';
      const before = heard.get(id);
      heard.set(id, state);
      if (first || before === state) continue;
      if (item.kind === 'code') news.push(`Verify: ${item.code.body}`);
      else if (before === undefined && item.message.direction !== 'inbound') news.push(`Our number: ${item.message.body}`);
      else if (['failed', 'undelivered'].includes(state))
        news.push(`Message ${state}: error ${item.message.errorCode}, ${item.message.errorMessage || ''}`);
    }
    if (news.length > 0) $('thread-news').textContent = news.join('. ');
  }

  function renderThread() {
    const all = threadItems();
    replaceChildren(
      $('thread'),
      all.map((item) => (item.kind === 'message' ? renderMessage(item.message) : renderCode(item.code))),
      { stickToBottom: true },
    );
    announceThread(all);
    renderOptOutState();
  }

  function renderOptOutState() {
    const mine = state.optouts.filter((entry) => entry.user === ui.phone && entry.channel === ui.channel);
    const scope = (sender) => (sender.startsWith('MG') ? `Messaging Service ${sender}` : sender);
    $('optout-state').textContent =
      mine.length === 0
        ? ''
        : `Opted out (${ui.channel === 'sms' ? 'SMS' : 'WhatsApp'}) of ${mine.map((entry) => scope(entry.sender)).join(', ')} since ${timeOf(mine[0].at)}: sends to this phone fail with 21610 until it texts START.`;
  }

  function choosePhone(redraw = false) {
    const value = phoneInput.value.trim();
    if (!E164.test(value)) return;
    if (value !== ui.phone) {
      ui.phone = value;
      localStorage.setItem('console.phone', value);
      registerCallee();
      state.messages = state.messages.filter((m) => bare(m.from) === value || bare(m.to) === value);
      state.calls = state.calls.filter(involvesPhone);
      refresh(['messages', 'calls']);
      redraw = true;
    }
    if (redraw) {
      renderThread();
      renderCalls();
      renderKnownPhones();
    }
  }
  phoneInput.addEventListener('change', () => choosePhone());
  phoneInput.addEventListener('input', () => {
    if (E164.test(phoneInput.value.trim())) choosePhone();
  });
  oursSelect.addEventListener('change', () => {
    ui.ours = oursSelect.value;
    localStorage.setItem('console.ours', ui.ours);
    renderThread();
  });
  for (const radio of document.querySelectorAll('input[name="channel"]')) {
    radio.addEventListener('change', () => {
      ui.channel = radio.value;
      renderThread();
    });
  }

  async function sendFromPhone(body) {
    const result = $('compose-result');
    if (!E164.test(ui.phone)) return showResult(result, 'Type your phone number in E.164 first (e.g. +12025550100).', false);
    const media = $('compose-media').value.trim();
    const path = ui.channel === 'whatsapp' ? '/phone/whatsapp' : '/phone/sms';
    showResult(result, 'Sending…');
    try {
      const answer = await api(path, { method: 'POST', body: { from: ui.phone, to: ui.ours, body, mediaUrls: media ? [media] : [] } });
      const parts = [
        `Delivered to our webhook: ${answer.webhook.status === null ? `failed (${answer.webhook.error})` : `HTTP ${answer.webhook.status}`}`,
      ];
      if (answer.optOut) parts.push(`${answer.optOut.keyword} applied (${answer.optOut.type === 'STOP' ? 'opted out' : 'opted in'})`);
      if (answer.replies.length > 0) parts.push(`${answer.replies.length} repl${answer.replies.length === 1 ? 'y' : 'ies'}`);
      if (answer.twimlError) parts.push(`TwiML error ${answer.twimlError.code}: ${answer.twimlError.message}`);
      showResult(result, `${parts.join(' · ')}.`, answer.webhook.status !== null && answer.webhook.status < 400 && !answer.twimlError);
      return true;
    } catch (error) {
      showResult(result, error.message, false);
      return false;
    }
  }

  $('compose').addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = $('compose-body').value;
    if (body.trim() === '' && $('compose-media').value.trim() === '')
      return showResult($('compose-result'), 'Type a message or a media URL.', false);
    if (await sendFromPhone(body)) {
      $('compose-body').value = '';
      $('compose-media').value = '';
    }
  });
  $('compose-body').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('compose').requestSubmit();
    }
  });
  for (const button of document.querySelectorAll('[data-keyword]')) {
    button.addEventListener('click', () => sendFromPhone(button.dataset.keyword));
  }

  // ---------------------------------------------------------------- calls pane

  /** Ring the console's phone for calls we make to it (a live callee), or let the script answer. */
  async function registerCallee() {
    if (!E164.test(ui.phone)) return;
    try {
      await api('/phone/callee', { method: 'POST', body: { number: ui.phone, interactive: $('ring-here').checked } });
    } catch (error) {
      console.warn(`console: callee: ${error.message}`);
    }
  }
  $('ring-here').addEventListener('change', registerCallee);

  $('call-ours').addEventListener('click', async () => {
    try {
      await api('/phone/call', { method: 'POST', body: { from: ui.phone, to: ui.ours, interactive: true } });
      refresh(['calls']);
    } catch (error) {
      showNotice({ ok: false, text: `Call: ${error.message}` });
    }
  });

  const callAction = (sid, action, body = {}) =>
    api(`/calls/${sid}/${action}`, { method: 'POST', body })
      .then(() => refresh(['calls']))
      .catch((error) => showNotice({ ok: false, text: `Call ${action}: ${error.message}` }));

  /** One transcript step as a line: what the caller heard or did. */
  function stepLine(step) {
    const heard = (text) => h('span', { class: 'heard' }, `“${text}”`);
    const outcome = step.outcome || {};
    switch (step.verb) {
      case 'Say':
        return h('li', {}, 'Heard: ', heard(step.text || ''));
      case 'Play':
        return h('li', {}, `Heard audio: ${step.text || ''}`);
      case 'Pause':
        return h('li', {}, `Silence, ${step.attributes.length || 1} s`);
      case 'Gather': {
        const prompts = (step.children || []).filter((c) => c.verb === 'Say' || c.verb === 'Play');
        const did =
          outcome.digits !== undefined
            ? `You pressed ${outcome.digits}`
            : outcome.speech !== undefined
              ? `You said “${outcome.speech}”`
              : outcome.silence
                ? 'You stayed silent'
                : outcome.hangup
                  ? 'You hung up'
                  : 'Waiting for you…';
        return h(
          'li',
          {},
          'Menu: ',
          prompts.map((c) => [heard(c.text || ''), ' ']),
          h('strong', {}, did),
        );
      }
      case 'Record':
        return h(
          'li',
          {},
          outcome.recordingSid
            ? `Voicemail recorded: ${outcome.durationSeconds} s (ended with ${outcome.endedWith})`
            : 'Recording… (after the beep)',
        );
      case 'Dial':
        return h(
          'li',
          {},
          `Connecting to ${outcome.numbers || step.text || ''}${outcome.dialCallStatus ? ` — ${outcome.dialCallStatus}` : ''}`,
        );
      case 'Message':
        return h('li', {}, `A text was sent (${outcome.messageSid || ''})`);
      case 'Hangup':
        return h('li', {}, 'The call hung up');
      case 'Reject':
        return h('li', {}, `Rejected (${step.attributes.reason || 'rejected'})`);
      case 'Redirect':
        return h('li', {}, `Redirected to ${step.text || ''}`);
      case 'Pay':
        return h('li', {}, `Payment: ${outcome.result || ''}`);
      default:
        return h('li', {}, `<${step.verb}>`);
    }
  }

  function recordingLines(call) {
    return call.recordings.map((r) =>
      h(
        'p',
        { class: 'recording', 'data-recording': r.sid },
        `Voicemail ${r.durationSeconds} s`,
        r.transcriptionStatus ? ` — transcription ${r.transcriptionStatus}${r.transcriptionText ? `: “${r.transcriptionText}”` : ''}` : '',
      ),
    );
  }

  function keypad(call) {
    const keys = h('input', {
      id: `keys-${call.callSid}`,
      inputmode: 'numeric',
      autocomplete: 'off',
      size: 6,
      pattern: '[0-9*#]*',
      'aria-label': 'Keys to press',
    });
    const numDigits = Number(call.prompt.attributes.numDigits || 0);
    const send = () => {
      if (keys.value !== '') callAction(call.callSid, 'input', { digits: keys.value });
    };
    const press = (key) => {
      keys.value += key;
      if (numDigits > 0 && keys.value.length >= numDigits) send();
    };
    const pad = h(
      'div',
      { class: 'keypad', role: 'group', 'aria-label': 'Keypad' },
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'].map((key) =>
        h('button', { type: 'button', onclick: () => press(key), 'aria-label': `Key ${key}` }, key),
      ),
    );
    const speech = h('input', { id: `speech-${call.callSid}`, autocomplete: 'off', placeholder: 'e.g. sales' });
    const modes = (call.prompt.attributes.input || 'dtmf').toLowerCase().split(/\s+/);
    const dtmf = modes.includes('dtmf');
    const listens = [
      dtmf ? `keys${numDigits ? ` (${numDigits} digit${numDigits > 1 ? 's' : ''})` : ''}` : null,
      modes.includes('speech') ? 'speech' : null,
    ].filter(Boolean);
    return h(
      'div',
      { class: 'prompt', 'data-prompt': 'gather' },
      h('p', {}, `The call waits for you: ${listens.join(' or ')}.`),
      dtmf ? pad : null,
      dtmf
        ? h(
            'div',
            { class: 'row' },
            h('label', { for: keys.id }, 'Keys', keys),
            h('button', { type: 'button', onclick: send }, 'Send keys'),
          )
        : null,
      modes.includes('speech')
        ? h(
            'div',
            { class: 'row' },
            h('label', { for: speech.id }, 'Speech', speech),
            h(
              'button',
              { type: 'button', onclick: () => speech.value.trim() && callAction(call.callSid, 'input', { speech: speech.value.trim() }) },
              'Say it',
            ),
          )
        : null,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => callAction(call.callSid, 'input', { silence: true }) },
          'Stay silent',
        ),
      ),
    );
  }

  function recorder(call) {
    const seconds = h('input', { id: `rec-len-${call.callSid}`, type: 'number', min: 0, max: 3600, value: 5 });
    const text = h('input', { id: `rec-text-${call.callSid}`, placeholder: 'What you say (the transcription)', size: 28 });
    const end = h(
      'select',
      { id: `rec-end-${call.callSid}` },
      h('option', { value: 'hangup' }, 'hang up'),
      h('option', { value: '#' }, 'press #'),
    );
    const leave = () =>
      callAction(call.callSid, 'record', {
        durationSeconds: Number(seconds.value) || 0,
        transcription: text.value.trim() === '' ? null : text.value.trim(),
        endWith: end.value,
      });
    return h(
      'div',
      { class: 'prompt', 'data-prompt': 'record' },
      h('p', {}, `Recording after the beep (up to ${call.prompt.attributes.maxLength || 3600} s).`),
      h(
        'div',
        { class: 'row' },
        h('label', { for: seconds.id }, 'Length (s)', seconds),
        h('label', { for: text.id }, 'Transcription', text),
        h('label', { for: end.id }, 'Then', end),
      ),
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: leave }, 'Leave voicemail')),
    );
  }

  function ringer(call) {
    return h(
      'div',
      { class: 'prompt', 'data-prompt': 'ring' },
      h('p', {}, `Incoming call from ${call.from}`),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', onclick: () => callAction(call.callSid, 'answer', { outcome: 'answer' }) }, 'Answer'),
        h('button', { type: 'button', class: 'secondary', onclick: () => callAction(call.callSid, 'answer', { outcome: 'busy' }) }, 'Busy'),
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => callAction(call.callSid, 'answer', { outcome: 'no-answer' }) },
          'No answer',
        ),
      ),
    );
  }

  const involvesPhone = (call) => call.from === ui.phone || call.to === ui.phone;

  function renderLiveCall(call) {
    const other = call.direction === 'inbound' ? call.to : call.from;
    const kind = call.prompt ? call.prompt.kind : null;
    return h(
      'article',
      { class: 'call live', 'data-call': call.callSid, 'aria-label': `Live call with ${other}` },
      h('h4', {}, `${call.direction === 'inbound' ? 'You are calling' : 'Call from'} ${other} — ${call.status}`),
      h('ol', { class: 'steps' }, call.steps.map(stepLine)),
      recordingLines(call),
      kind === 'ring' ? ringer(call) : kind === 'gather' ? keypad(call) : kind === 'record' ? recorder(call) : null,
      kind !== 'ring'
        ? h(
            'div',
            { class: 'buttons' },
            h('button', { type: 'button', class: 'danger', onclick: () => callAction(call.callSid, 'hangup') }, 'Hang up'),
          )
        : null,
    );
  }

  function renderCallSummary(call) {
    return h(
      'li',
      { 'data-call': call.callSid },
      h(
        'details',
        {},
        h(
          'summary',
          {},
          `${timeOf(call.dateCreated)} ${call.direction === 'inbound' ? `${call.from} → ${call.to}` : `${call.from} → ${call.to} (outbound)`} · `,
          h(
            'span',
            {
              class: `badge ${call.status === 'completed' ? 'ok' : ['busy', 'no-answer', 'failed', 'canceled'].includes(call.status) ? 'bad' : ''}`,
            },
            call.status,
          ),
          ` · ${call.durationSeconds} s${call.recordings.length ? ` · ${call.recordings.length} voicemail` : ''}`,
        ),
        h('ol', { class: 'steps' }, call.steps.map(stepLine)),
        call.error ? h('p', { class: 'error' }, `Error ${call.error.code}: ${call.error.message}`) : null,
      ),
      recordingLines(call),
    );
  }

  function renderCalls() {
    const mine = state.calls.filter(involvesPhone);
    const live = mine.filter((call) => call.live);
    // Keep what the person is typing: redraw a live call only when its state changed.
    const container = $('live-calls');
    const signature = JSON.stringify(
      live.map((c) => [c.callSid, c.status, c.steps.length, c.prompt && c.prompt.kind, c.prompt && c.prompt.step, c.recordings.length]),
    );
    if (container.dataset.signature !== signature) {
      container.dataset.signature = signature;
      container.replaceChildren(...live.map(renderLiveCall));
    }
    replaceChildren($('call-list'), mine.filter((call) => !call.live).map(renderCallSummary));
  }

  // ---------------------------------------------------------------- conversations pane

  const CHANNEL_LABEL = { sms: 'SMS', whatsapp: 'WhatsApp', chat: 'Chat' };
  // Glyphs DejaVu Sans has (Debian's default font): decorative, the channel is also said in words.
  const CHANNEL_ICON = { sms: '✉', whatsapp: '✆', chat: '⌨' };
  const RECEIPT_CLASS = { delivered: 'ok', read: 'ok', sent: 'ok', failed: 'bad', undelivered: 'bad' };

  const participantName = (p) => (p.channel === 'chat' ? p.identity || p.sid : p.address || p.sid);

  /** A participant as its channel (an icon, and the channel in words) and its address or identity. */
  function participantChip(p) {
    return h(
      'span',
      { class: `chip ${p.channel}`, 'data-channel': p.channel },
      h('span', { 'aria-hidden': 'true' }, CHANNEL_ICON[p.channel] || '•'),
      ` ${CHANNEL_LABEL[p.channel] || p.channel}: `,
      h('span', { class: 'mono' }, participantName(p)),
    );
  }

  const selectedConversation = () => state.conversations.find((c) => c.sid === ui.conversation);

  /** The threads (newest activity first): a button each; choosing one shows its messages and the reply box. */
  function renderConversations() {
    const list = $('conversation-list');
    $('conversations-count').textContent = `(${state.conversations.length})`;
    $('conversations-empty').hidden = state.conversations.length > 0;
    replaceChildren(
      list,
      state.conversations.map((c) => {
        const last = c.messages[c.messages.length - 1];
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'conversation-choice',
              'data-key': c.sid,
              'aria-pressed': c.sid === ui.conversation ? 'true' : 'false',
              onclick: () => chooseConversation(c.sid),
            },
            h('span', { class: 'name' }, c.friendlyName || c.sid),
            ' ',
            h(
              'span',
              { class: `badge ${c.state === 'active' ? 'ok' : c.state === 'closed' ? 'bad' : 'warn'}`, 'data-state': c.state },
              c.state,
            ),
            h('span', { class: 'participants' }, c.participants.map(participantChip)),
            h('span', { class: 'last' }, last ? `${last.author}: ${last.body || '(no text)'}` : 'No messages yet'),
          ),
        );
      }),
    );
    renderConversationView();
  }

  /** A message's delivery to each messaging participant, in words (and colour). */
  function receiptBadges(c, m) {
    const badges = m.receipts.map((r) => {
      const p = c.participants.find((x) => x.sid === r.participantSid);
      const to = p ? `${participantName(p)} (${CHANNEL_LABEL[p.channel] || p.channel})` : r.participantSid;
      return h(
        'span',
        { class: `badge ${RECEIPT_CLASS[r.status] || ''}`, 'data-status': r.status },
        `${r.status} to ${to}${r.errorCode ? `, error ${r.errorCode}` : ''}`,
      );
    });
    if (m.pending > 0)
      badges.push(h('span', { class: 'badge', 'data-status': 'sending' }, `sending to ${plural(m.pending, 'participant')}`));
    return badges;
  }

  function renderConversationMessage(c, m) {
    const author = c.participants.find((p) => p.sid === m.participantSid);
    const channel = author ? author.channel : 'chat';
    return h(
      'li',
      { class: channel === 'chat' ? 'msg mine' : 'msg', 'data-sid': m.sid },
      h(
        'div',
        { class: 'meta' },
        h('span', { class: 'author' }, m.author || 'system'),
        h('span', {}, author ? `via ${CHANNEL_LABEL[channel] || channel}` : 'via the API'),
        h('time', { datetime: m.dateCreated }, timeOf(m.dateCreated)),
        receiptBadges(c, m),
      ),
      m.body ? h('p', { class: 'body' }, m.body) : null,
      m.contentSid ? h('p', { class: 'body' }, `${m.rendered ?? ''} (template ${m.contentSid})`) : null,
    );
  }

  function renderConversationView() {
    const c = selectedConversation();
    $('conversation-view').hidden = !c;
    if (!c) return;
    $('conversation-title').textContent = `${c.friendlyName || c.sid} — ${c.state}`;
    $('conversation-participants').replaceChildren(
      c.participants.length === 0 ? 'No participants yet.' : 'Participants: ',
      ...c.participants.flatMap((p, i) =>
        i === 0 ? [participantChip(p)] : [h('span', { class: 'visually-hidden' }, ', '), participantChip(p)],
      ),
    );
    replaceChildren(
      $('conversation-thread'),
      c.messages.map((m) => renderConversationMessage(c, m)),
      { stickToBottom: true },
    );
  }

  function chooseConversation(sid) {
    if (ui.conversation !== sid) showResult($('agent-result'), '');
    ui.conversation = sid;
    renderConversations();
  }

  $('agent-reply').addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = $('agent-result');
    const c = selectedConversation();
    const identity = $('agent-identity').value.trim();
    const body = $('agent-body').value;
    if (!c) return showResult(result, 'Choose a conversation first.', false);
    if (identity === '') return showResult(result, 'Type the agent identity (a chat participant of this conversation).', false);
    if (body.trim() === '') return showResult(result, 'Type a reply.', false);
    showResult(result, 'Sending…');
    try {
      const message = await api(`/conversations/${c.sid}/messages`, { method: 'POST', body: { identity, body } });
      $('agent-body').value = '';
      showResult(result, `Sent as ${identity} (message ${message.index}).`);
      refresh(['conversations']);
    } catch (error) {
      const why =
        error.code === 'rejected_by_webhook'
          ? `Rejected (403): ${error.message}; nothing was sent.`
          : error.code === 'not_a_participant'
            ? `Not sent (404): ${identity} is not a chat participant of this conversation. Add a participant with that identity first.`
            : `Not sent: ${error.message}`;
      showResult(result, why, false);
    }
  });
  $('agent-body').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      $('agent-reply').requestSubmit();
    }
  });

  // ---------------------------------------------------------------- inspector

  function renderCallbacks() {
    const recent = state.callbacks.slice(-150).reverse();
    $('callbacks-count').textContent = `(${state.callbacks.length})`;
    replaceChildren(
      $('callbacks'),
      recent.map((d) => {
        const path = (() => {
          try {
            const u = new URL(d.url);
            return u.pathname + u.search;
          } catch {
            return d.url;
          }
        })();
        const what = d.params.MessageStatus || d.params.CallStatus || d.params.TranscriptionStatus || d.params.RecordingStatus || '';
        return h(
          'li',
          {},
          h(
            'details',
            {},
            h(
              'summary',
              {},
              `${timeOf(d.at)} ${d.method} ${path}${what ? ` (${what})` : ''} → `,
              h(
                'span',
                { class: `badge ${d.status !== null && d.status < 300 ? 'ok' : 'bad'}` },
                d.status === null ? 'failed' : String(d.status),
              ),
              ` ${d.durationMs} ms`,
              d.attempt > 1 ? ` (attempt ${d.attempt})` : '',
              d.errorCode ? ` ${d.errorCode}` : '',
            ),
            h('p', { class: 'mono' }, `X-Twilio-Signature: ${d.signature}`),
            d.fragment ? h('p', { class: 'mono' }, `Connection overrides: #${d.fragment}`) : null,
            h('p', { class: 'mono' }, d.url),
            h(
              'pre',
              { class: 'mono' },
              Object.entries(d.params)
                .map(([k, v]) => `${k}=${v}`)
                .join('\n'),
            ),
            d.error ? h('p', { class: 'error' }, d.error) : null,
            h('p', {}, `Answer${d.answer.contentType ? ` (${d.answer.contentType})` : ''}:`),
            h('pre', { class: 'mono' }, d.answer.body || '(empty)'),
          ),
        );
      }),
    );
  }

  /** One map's items as a table (captioned with its name, item count and expiry). */
  function syncTable(map) {
    return h(
      'table',
      { 'data-map': map.uniqueName || map.sid },
      h(
        'caption',
        {},
        `${map.uniqueName || map.sid} — ${plural(map.itemCount, 'item')}${map.dateExpires ? `, expires ${dateTimeOf(map.dateExpires)}` : ''}`,
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Key'),
          h('th', { scope: 'col' }, 'Data'),
          h('th', { scope: 'col' }, 'Rev'),
          h('th', { scope: 'col' }, 'Expires'),
        ),
      ),
      h(
        'tbody',
        {},
        map.items.map((item) =>
          h(
            'tr',
            {},
            h('td', { class: 'mono' }, item.key),
            h('td', { class: 'mono' }, JSON.stringify(item.data)),
            h('td', {}, item.revision),
            h('td', {}, item.dateExpires ? dateTimeOf(item.dateExpires) : '—'),
          ),
        ),
      ),
    );
  }

  /**
   * The maps as families: the product shards a store over maps named `<name>-0` … `<name>-<n-1>`
   * (src/lib/stores/sync-map-store.ts), so maps whose names differ only by a trailing `-<number>`
   * form one entry. A family of one is a plain map.
   */
  function syncFamilies(maps) {
    const families = new Map();
    for (const map of maps) {
      const name = map.uniqueName || map.sid;
      const shard = /^(.+)-(\d+)$/.exec(name);
      const key = `${map.serviceSid}/${shard ? shard[1] : name}`;
      const family = families.get(key) || { name: shard ? shard[1] : name, maps: [], itemCount: 0 };
      family.maps.push(map);
      family.itemCount += map.itemCount;
      families.set(key, family);
    }
    const order = (name) => Number((/-(\d+)$/.exec(name) || [])[1] || 0);
    for (const family of families.values()) family.maps.sort((a, b) => order(a.uniqueName || '') - order(b.uniqueName || ''));
    return [...families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Which folded entries the person opened, so a live redraw keeps them open. */
  const openSync = new Set();
  function foldable(id, summary, children, open = false) {
    const details = h(
      'details',
      { class: 'sync-fold', 'data-fold': id, open: open || openSync.has(id) },
      h('summary', {}, summary),
      children,
    );
    details.addEventListener('toggle', () => (details.open ? openSync.add(id) : openSync.delete(id)));
    return details;
  }

  /** Maps with items shown (a sharded family as one entry with its total); empty maps folded into one count. */
  function renderSync() {
    const families = syncFamilies(state.syncMaps);
    const used = families.filter((family) => family.itemCount > 0);
    const empty = families.filter((family) => family.itemCount === 0);
    const emptyMaps = empty.reduce((sum, family) => sum + family.maps.length, 0);
    $('sync-count').textContent = `(${plural(state.syncMaps.length, 'map')}, ${used.length} with items)`;
    const entries = used.map((family) => {
      if (family.maps.length === 1) return syncTable(family.maps[0]);
      const full = family.maps.filter((map) => map.itemCount > 0);
      const idle = family.maps.length - full.length;
      return foldable(
        `family:${family.name}`,
        [
          h('span', { class: 'mono' }, family.name),
          ` — ${plural(family.maps.length, 'shard')}, `,
          h('span', { 'data-total': family.itemCount }, plural(family.itemCount, 'item')),
        ],
        [full.map(syncTable), idle > 0 ? h('p', { class: 'hint' }, `${plural(idle, 'empty shard')} not shown.`) : null],
      );
    });
    if (empty.length > 0) {
      entries.push(
        foldable(
          'empty',
          ['Empty maps ', h('span', { class: 'count', 'data-empty-count': emptyMaps }, `(${emptyMaps})`)],
          h(
            'ul',
            { class: 'empty-maps' },
            empty.map((family) =>
              h(
                'li',
                { class: 'mono' },
                family.maps.length === 1 ? family.name : `${family.name} (${plural(family.maps.length, 'shard')})`,
              ),
            ),
          ),
        ),
      );
    }
    replaceChildren($('sync'), entries);
  }

  function renderCodes() {
    $('codes-count').textContent = `(${state.codes.length})`;
    replaceChildren(
      $('codes'),
      state.codes
        .slice()
        .reverse()
        .map((c) => h('li', {}, `${timeOf(c.at)} ${c.channel} to ${c.to}: `, h('strong', { class: 'mono' }, c.code), ` (${c.status})`)),
    );
  }

  function renderOptOuts() {
    $('optouts-count').textContent = `(${state.optouts.length})`;
    replaceChildren(
      $('optouts'),
      state.optouts.map((e) => h('li', {}, `${e.user} opted out of ${e.sender} (${e.channel}) at ${timeOf(e.at)}`)),
    );
  }

  function renderUsage() {
    const usage = state.usage || {};
    const rows = [
      ['Messages created', usage.messages],
      ['Verifications sent', usage.verifications],
      ['Verification checks', usage.verificationChecks],
      ['Lookups', usage.lookups],
      ...Object.entries(usage.lookupPackages || {}).map(([name, count]) => [`  ${name}`, count]),
    ];
    $('usage').replaceChildren(...rows.flatMap(([name, count]) => [h('dt', {}, name), h('dd', {}, String(count ?? 0))]));
  }

  function renderFaults() {
    $('faults-count').textContent = `(${state.faults.length})`;
    replaceChildren(
      $('faults'),
      state.faults.map((f) =>
        h(
          'li',
          { class: 'mono' },
          `#${f.id} ${f.method || 'any'} ${f.pathPattern} → ${f.status === null ? 'delay only' : `${f.status}/${f.code ?? f.status}`}${f.delayMs ? ` after ${f.delayMs} ms` : ''}, ${f.remaining} left`,
        ),
      ),
    );
  }

  $('fault-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const number = (id) => ($(id).value === '' ? undefined : Number($(id).value));
    const body = {
      method: $('fault-method').value || undefined,
      pathPattern: $('fault-path').value,
      status: number('fault-status'),
      code: number('fault-code'),
      message: $('fault-message').value || undefined,
      times: number('fault-times'),
      delayMs: number('fault-delay'),
    };
    try {
      const fault = await api('/faults', { method: 'POST', body });
      showResult($('fault-result'), `Fault #${fault.id} added.`);
      refresh(['faults']);
    } catch (error) {
      showResult($('fault-result'), error.message, false);
    }
  });
  $('faults-clear').addEventListener('click', async () => {
    const answer = await api('/faults', { method: 'DELETE' });
    showResult($('fault-result'), `${answer.cleared} fault(s) cleared.`);
    refresh(['faults']);
  });

  // ---------------------------------------------------------------- start

  registerCallee();
  connect();
  refresh(ALL);
})();
