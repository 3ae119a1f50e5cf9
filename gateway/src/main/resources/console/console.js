// The Sessionflow console: plain JavaScript, no build step. It calls the /v1 API with the key the user
// signs in with, kept in this tab's sessionStorage only, so it sees and does exactly what that key may.
// Text from the API is always put in the page as text (never as HTML).
'use strict';

const KEY = 'sessionflow.key';
const WHO = 'sessionflow.who';
const main = () => document.getElementById('main');

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function show(...nodes) {
  main().replaceChildren(...nodes);
}

function who() {
  return JSON.parse(sessionStorage.getItem(WHO) || 'null');
}

/** The API's error, worded as the API words it. */
class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || ('HTTP ' + status));
    this.status = status;
    this.field = error.field;
  }
}

function errorBox(error) {
  return el('div', { class: 'error', role: 'alert' }, error.message + (error.field ? ' (field: ' + error.field + ')' : ''));
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({ Authorization: 'Bearer ' + sessionStorage.getItem(KEY) },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    // The key is dropped; the caller shows the sign-in page with the API's error.
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(WHO);
    throw new ApiError(401, json);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== '' && value != null) search.set(name, value);
  const text = search.toString();
  return text ? '?' + text : '';
}

// ---- sign-in -------------------------------------------------------------------------------------

function signInView(message) {
  const key = el('input', { id: 'api-key', type: 'password', placeholder: 'API key', size: 48, autocomplete: 'off' });
  const form = el('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY, key.value.trim());
      try {
        sessionStorage.setItem(WHO, JSON.stringify(await api('GET', '/v1/me')));
        location.hash = '#/sessions';
        route();
      } catch (error) {
        sessionStorage.removeItem(KEY);
        signInView(error);
      }
    },
  }, el('label', {}, 'API key', key), ' ', el('button', { id: 'sign-in', type: 'submit' }, 'Sign in'));
  document.getElementById('nav').hidden = true;
  show(el('h2', {}, 'Sign in'),
    el('p', {}, 'Use an admin key to see everyone, or a user key to see your own sessions. ' +
      'The key stays in this tab only.'),
    message ? errorBox(message) : null, form);
}

function signOut() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(WHO);
  location.hash = '#/';
}

// ---- sessions ------------------------------------------------------------------------------------

async function sessionsView(params) {
  const admin = who().admin;
  const field = (name, label, attrs = {}) =>
    el('label', {}, label, el('input', Object.assign({ name, value: params.get(name) || '' }, attrs)));
  const choice = (name, label, options) => el('label', {}, label, el('select', { name },
    options.map(([value, text]) => el('option', { value, selected: (params.get(name) || '') === value }, text))));
  const form = el('form', {
    class: 'filters',
    onsubmit: (event) => {
      event.preventDefault();
      const values = Object.fromEntries(new FormData(form));
      location.hash = '#/sessions' + query(values);
    },
  },
  admin ? field('user_id', 'User') : null,
  choice('session_type', 'Type', [['', 'any'], ['agent', 'agent'], ['team', 'team']]),
  field('component_id', 'Agent or team'),
  field('from', 'Created from', { type: 'date' }), field('to', 'Created before', { type: 'date' }),
  choice('sort_by', 'Sort by', [['created_at', 'created'], ['updated_at', 'updated']]),
  choice('sort_order', 'Order', [['desc', 'newest first'], ['asc', 'oldest first']]),
  el('button', { type: 'submit' }, 'Filter'));
  show(el('h2', {}, 'Sessions'), form, el('p', {}, 'Loading…'));
  const page = Number(params.get('page') || 1);
  const list = await api('GET', '/v1/sessions' + query({
    user_id: admin ? params.get('user_id') : '', session_type: params.get('session_type'),
    component_id: params.get('component_id'), from: params.get('from'), to: params.get('to'),
    sort_by: params.get('sort_by'), sort_order: params.get('sort_order'), page, limit: 20, include: 'message_count',
  }));
  if (list.items.length === 0) {
    show(el('h2', {}, 'Sessions'), form, el('p', { class: 'empty' },
      'No sessions match. Start one from ', el('a', { href: '#/run' }, 'Live run'), ', or change the filters.'));
    return;
  }
  const rows = list.items.map((s) => el('tr', {},
    el('td', {}, el('a', { href: '#/session/' + encodeURIComponent(s.session_id), class: 'session-link' }, s.session_id)),
    el('td', {}, s.session_type), el('td', {}, s.component_id), el('td', {}, s.user_id || '—'),
    el('td', {}, s.run_count), el('td', {}, s.message_count), el('td', {}, s.updated_at)));
  const pages = Math.max(1, Math.ceil(list.total / list.limit));
  const go = (n) => { params.set('page', n); location.hash = '#/sessions?' + params.toString(); };
  show(el('h2', {}, 'Sessions'), form,
    el('table', { id: 'sessions' }, el('thead', {}, el('tr', {},
      ['Session', 'Type', 'Agent / team', 'User', 'Runs', 'Messages', 'Updated'].map((h) => el('th', {}, h)))),
    el('tbody', {}, rows)),
    el('p', {}, el('button', { disabled: page <= 1, onclick: () => go(page - 1) }, '‹ Previous'),
      ` Page ${page} of ${pages} (${list.total} sessions) `,
      el('button', { disabled: page >= pages, onclick: () => go(page + 1) }, 'Next ›')));
}

// ---- one session ---------------------------------------------------------------------------------

function turn(role, content, extra) {
  return el('div', { class: 'turn ' + role }, el('div', { class: 'role' }, role), el('div', {}, content), extra || null);
}

/** A run as a conversation: the user's message, tool calls and results, the answer, and its metrics. */
function runTurns(run) {
  const turns = [];
  for (const message of run.messages || []) {
    if (message.role === 'assistant' && message.tool_calls) {
      for (const call of message.tool_calls) {
        const fn = call.function || call;
        turns.push(turn('tool', 'calls ' + fn.name + ' ' + (fn.arguments || '')));
      }
    } else if (message.role === 'tool') {
      turns.push(turn('tool', 'result: ' + message.content));
    } else if (message.role === 'user' || message.role === 'assistant') {
      turns.push(turn(message.role, message.content));
    }
  }
  if (turns.length === 0) {
    turns.push(turn('user', run.input && run.input.message));
    if (run.content) turns.push(turn('assistant', run.content));
  }
  const m = run.metrics || {};
  const meta = `run ${run.run_index ?? '–'} · ${run.status}` + (run.model ? ' · ' + run.model : '') +
    (m.input_tokens !== undefined ? ` · ${m.input_tokens} in / ${m.output_tokens} out tokens · ${m.total_latency_ms} ms` : '') +
    (run.error ? ' · ' + run.error : '');
  return el('div', { class: 'run', 'data-run-id': run.run_id }, turns, el('div', { class: 'meta' }, meta));
}

function contextBlock(context) {
  const plan = (context.plan || []).map((step, i) => el('li', {}, step));
  const progress = (context.progress || []).map((step) => el('li', { class: 'done' }, '✓ ' + step));
  return el('div', { id: 'context' },
    context.goal ? el('p', {}, el('b', {}, 'Goal: '), context.goal) : null,
    context.summary ? el('p', {}, context.summary) : null,
    plan.length ? el('div', {}, el('b', {}, 'Plan'), el('ol', {}, plan)) : null,
    progress.length ? el('div', {}, el('b', {}, 'Completed'), el('ul', {}, progress)) : null,
    el('p', { class: 'meta' }, 'covers runs up to ' + context.up_to_run_index));
}

async function sessionView(sessionId) {
  show(el('p', {}, 'Loading…'));
  const [session, runs] = await Promise.all([
    api('GET', '/v1/sessions/' + encodeURIComponent(sessionId)),
    api('GET', '/v1/sessions/' + encodeURIComponent(sessionId) + '/runs?limit=100&sort_order=asc'),
  ]);
  const parts = [
    el('h2', {}, 'Session ', el('code', {}, session.session_id)),
    el('p', { class: 'meta' }, `${session.session_type} ${session.component_id} · user ${session.user_id || '—'} · ` +
      `${session.run_count} runs · updated ${session.updated_at}`),
    el('h3', {}, 'State'), el('pre', { id: 'state' }, JSON.stringify(session.session_state, null, 2)),
    el('h3', {}, 'Summary'),
    session.summary
      ? el('div', { id: 'summary' }, el('p', {}, session.summary.summary),
        el('p', { class: 'meta' }, 'covers runs up to ' + session.summary.up_to_run_index))
      : el('p', { class: 'empty' }, 'No summary: this agent does not keep one, or it has not been written yet.'),
    el('h3', {}, 'Context'),
    session.context ? contextBlock(session.context)
      : el('p', { class: 'empty' }, 'No session context: the agent does not keep one, or it has not been written yet.'),
    el('h3', {}, 'Conversation'),
    runs.items.length ? el('div', { id: 'conversation' }, runs.items.map(runTurns))
      : el('p', { class: 'empty' }, 'No runs yet.'),
    el('p', {}, el('a', { href: '#/run?session_id=' + encodeURIComponent(session.session_id) +
      '&component_id=' + encodeURIComponent(session.component_id) + '&type=' + session.session_type +
      (session.user_id ? '&user_id=' + encodeURIComponent(session.user_id) : '') }, 'Continue this session')),
  ];
  if (session.user_id) {
    parts.push(el('h3', {}, 'Memories of ' + session.user_id));
    try {
      const memories = await api('GET', '/v1/users/' + encodeURIComponent(session.user_id) + '/memories?limit=50');
      parts.push(memories.items.length
        ? el('ul', { id: 'memories' }, memories.items.map((m) => el('li', {}, m.memory, ' ',
          el('span', { class: 'meta' }, (m.topics || []).join(', ')))))
        : el('p', { class: 'empty' }, 'No memories of this user (memory is on for agents with update_memory_on_run).'));
    } catch (error) {
      parts.push(errorBox(error));
    }
  }
  show(...parts);
}

// ---- live run ------------------------------------------------------------------------------------

/** Reads a text/event-stream response, calling onEvent(name, data) for each event. */
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

async function follow(responsePromise, status, answer) {
  const response = await responsePromise;
  if (!response.ok) {
    const text = await response.text();
    throw new ApiError(response.status, text ? JSON.parse(text) : null);
  }
  await readEvents(response, (name, event) => {
    if (name === 'run_started') status.textContent = 'running: ' + event.run_id;
    if (name === 'delta') answer.textContent += event.delta;
    if (name === 'tool_call_started' || name === 'tool_call_completed') status.textContent = name.replaceAll('_', ' ');
    if (name === 'run_paused') {
      status.textContent = 'paused: the run waits for tool results or approvals (POST /v1/runs/' + event.run_id + '/continue)';
      status.dataset.finished = name;
    }
    if (name === 'run_completed' || name === 'run_failed') {
      const run = event.run || {};
      if (!answer.textContent && run.content) answer.textContent = run.content;
      status.replaceChildren(name === 'run_completed' ? 'completed' : 'failed: ' + (run.error || ''), ' · ',
        el('a', { href: '#/session/' + encodeURIComponent(event.session_id) }, 'open the session'));
      status.dataset.finished = name;
    }
  });
}

function runView(params) {
  const type = el('select', { name: 'type' }, ['agent', 'team'].map((t) => el('option', { value: t, selected: params.get('type') === t }, t)));
  const component = el('input', { name: 'component_id', value: params.get('component_id') || 'chat-with-history', required: true });
  const session = el('input', { name: 'session_id', value: params.get('session_id') || '', placeholder: 'new session' });
  // An admin acts for a user by naming them (a session is found by its id and its user); a user key is its user.
  const user = who().admin ? el('input', { name: 'user_id', value: params.get('user_id') || '', placeholder: 'no user' }) : null;
  const message = el('textarea', { name: 'message', required: true, placeholder: 'Your message' });
  const status = el('p', { id: 'run-status', class: 'meta' });
  const answer = el('div', { id: 'answer' });
  const feedback = el('div');
  const send = el('form', {
    id: 'send-run',
    onsubmit: async (event) => {
      event.preventDefault();
      answer.textContent = '';
      feedback.replaceChildren();
      status.textContent = 'sending…';
      delete status.dataset.finished;
      const body = { message: message.value };
      if (session.value.trim()) body.session_id = session.value.trim();
      if (user && user.value.trim()) body.user_id = user.value.trim();
      const path = (type.value === 'team' ? '/v1/teams/' : '/v1/agents/') + encodeURIComponent(component.value.trim()) + '/runs?stream=true';
      try {
        await follow(fetch(path, {
          method: 'POST',
          headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY), 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        }), status, answer);
      } catch (error) {
        status.textContent = '';
        feedback.replaceChildren(errorBox(error));
      }
    },
  }, el('div', { class: 'filters' }, el('label', {}, 'Type', type), el('label', {}, 'Agent or team', component),
    el('label', {}, 'Session', session), user ? el('label', {}, 'User', user) : null), el('label', {}, 'Message', message), el('button', { type: 'submit' }, 'Send'));
  const runId = el('input', { name: 'run_id', placeholder: 'run id' });
  const attach = el('form', {
    onsubmit: async (event) => {
      event.preventDefault();
      answer.textContent = '';
      feedback.replaceChildren();
      status.textContent = 'attaching…';
      try {
        await follow(fetch('/v1/runs/' + encodeURIComponent(runId.value.trim()) + '/events',
          { headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) } }), status, answer);
      } catch (error) {
        status.textContent = '';
        feedback.replaceChildren(errorBox(error));
      }
    },
  }, el('label', {}, 'Attach to a running run', runId), ' ', el('button', { type: 'submit' }, 'Attach'));
  show(el('h2', {}, 'Live run'), send, el('h3', {}, 'Answer'), status, answer, feedback, el('h3', {}, 'Attach'), attach);
}

// ---- reprocessing --------------------------------------------------------------------------------

async function jobsView() {
  const jobs = await api('GET', '/v1/reprocess?limit=50');
  if (jobs.items.length === 0) {
    show(el('h2', {}, 'Reprocessing jobs'), el('p', { class: 'empty' },
      'No jobs. Start one with POST /v1/reprocess or ./sessionflow reprocess.'));
    return;
  }
  show(el('h2', {}, 'Reprocessing jobs'), el('table', { id: 'jobs' },
    el('thead', {}, el('tr', {}, ['Job', 'Kind', 'Status', 'Progress', 'Rate', 'Created'].map((h) => el('th', {}, h)))),
    el('tbody', {}, jobs.items.map((job) => {
      const finished = job.done + job.failed;
      const share = job.total ? Math.round(100 * finished / job.total) : 100;
      return el('tr', {}, el('td', {}, job.job_id), el('td', {}, job.kind), el('td', {}, job.status),
        el('td', {}, el('span', { class: 'bar' }, widthOf(el('span'), share)),
          ` ${finished} / ${job.total}` + (job.failed ? ` (${job.failed} failed)` : '')),
        el('td', {}, job.rate_per_s + '/s'), el('td', {}, job.created_at));
    }))));
}

/** Sets a width by CSSOM: the page's Content-Security-Policy refuses inline style attributes. */
function widthOf(node, percent) {
  node.style.width = percent + '%';
  return node;
}

// ---- usage ---------------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  children.forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(String(child))));
  return node;
}

/** Input and output tokens per window, stacked bars, one per window start. */
function tokenChart(items) {
  const byWindow = new Map();
  for (const item of items) {
    const total = byWindow.get(item.window_start) || { input: 0, output: 0, runs: 0 };
    total.input += item.input_tokens;
    total.output += item.output_tokens;
    total.runs += item.runs;
    byWindow.set(item.window_start, total);
  }
  const windows = [...byWindow.entries()];
  const width = 760, height = 220, pad = 30;
  const max = Math.max(1, ...windows.map(([, t]) => t.input + t.output));
  const bar = Math.max(2, Math.floor((width - pad) / Math.max(1, windows.length)) - 2);
  const chart = svg('svg', { id: 'usage-chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' },
    svg('title', {}, 'tokens per window'));
  windows.forEach(([start, t], i) => {
    const x = pad + i * (bar + 2);
    const hIn = (height - pad) * t.input / max, hOut = (height - pad) * t.output / max;
    chart.append(svg('rect', { x, y: height - pad - hIn, width: bar, height: hIn, fill: '#3b6ef5' },
      svg('title', {}, `${start}: ${t.input} input tokens, ${t.runs} runs`)));
    chart.append(svg('rect', { x, y: height - pad - hIn - hOut, width: bar, height: hOut, fill: '#f5a53b' },
      svg('title', {}, `${start}: ${t.output} output tokens`)));
  });
  chart.append(svg('text', { x: pad, y: height - 8, 'font-size': 11 }, windows.length ? windows[0][0] : ''));
  chart.append(svg('text', { x: 4, y: 12, 'font-size': 11 }, max + ' tokens'));
  return chart;
}

async function usageView(params) {
  const admin = who().admin;
  const granularity = params.get('granularity') || 'hour';
  const form = el('form', {
    class: 'filters',
    onsubmit: (event) => { event.preventDefault(); location.hash = '#/usage' + query(Object.fromEntries(new FormData(form))); },
  }, el('label', {}, 'Windows', el('select', { name: 'granularity' },
    ['hour', 'day'].map((g) => el('option', { value: g, selected: g === granularity }, g)))),
  admin ? el('label', {}, 'User', el('input', { name: 'user_id', value: params.get('user_id') || '' })) : null,
  el('label', {}, 'Agent or team', el('input', { name: 'component_id', value: params.get('component_id') || '' })),
  el('label', {}, 'From', el('input', { name: 'from', type: 'date', value: params.get('from') || '' })),
  el('button', { type: 'submit' }, 'Show'));
  const usage = await api('GET', '/v1/usage' + query({
    granularity, user_id: admin ? params.get('user_id') : '', component_id: params.get('component_id'), from: params.get('from'),
  }));
  const t = usage.totals;
  const tiles = el('div', { class: 'tiles', id: 'usage-totals' },
    el('div', { class: 'tile' }, el('b', {}, t.runs), 'runs'), el('div', { class: 'tile' }, el('b', {}, t.failed_runs), 'failed'),
    el('div', { class: 'tile' }, el('b', {}, t.input_tokens), 'input tokens'),
    el('div', { class: 'tile' }, el('b', {}, t.output_tokens), 'output tokens'));
  if (usage.items.length === 0) {
    show(el('h2', {}, 'Usage'), form, el('p', { class: 'empty' },
      'No usage counted for these filters yet. Runs are counted a moment after they finish.'));
    return;
  }
  show(el('h2', {}, 'Usage'), form, tiles, tokenChart(usage.items),
    el('p', { class: 'meta' }, 'blue: input tokens, orange: output tokens'),
    el('table', {}, el('thead', {}, el('tr', {}, ['Window', 'User', 'Agent / team', 'Model', 'Runs', 'Failed', 'In', 'Out']
      .map((h) => el('th', {}, h)))),
    el('tbody', {}, usage.items.map((u) => el('tr', {}, el('td', {}, u.window_start), el('td', {}, u.user_id || '—'),
      el('td', {}, u.component_id), el('td', {}, u.model || '—'), el('td', {}, u.runs), el('td', {}, u.failed_runs),
      el('td', {}, u.input_tokens), el('td', {}, u.output_tokens))))));
}

// ---- health --------------------------------------------------------------------------------------

/** The sum of a metric's samples in Prometheus text, over every label set. */
function metric(text, name) {
  let sum = 0, found = false;
  for (const line of text.split('\n')) {
    if (line.startsWith(name + ' ') || line.startsWith(name + '{')) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      found = true;
    }
  }
  return found ? sum : null;
}

let healthTimer = null;

async function healthView() {
  const tiles = el('div', { class: 'tiles', id: 'health' });
  const ready = el('p', {});
  show(el('h2', {}, 'Pipeline health'), ready, tiles,
    el('p', { class: 'meta' }, 'From this gateway\'s /metrics, every 2 seconds. Workers in other processes serve their own.'));
  let previous = null;
  const tick = async () => {
    const readiness = await fetch('/health/ready');
    ready.textContent = readiness.ok ? 'Ready: Postgres and Kafka answer.' : 'Not ready: ' + (await readiness.text());
    const text = await (await fetch('/metrics')).text();
    const now = { at: Date.now(), completed: metric(text, 'sessionflow_runs_completed_total'),
      latencySum: metric(text, 'sessionflow_run_end_to_end_seconds_sum'), latencyCount: metric(text, 'sessionflow_run_end_to_end_seconds_count') };
    const tile = (label, value) => el('div', { class: 'tile' }, el('b', {}, value), label);
    const shown = [tile('runs accepted', metric(text, 'sessionflow_runs_accepted_total') ?? '—'),
      tile('runs completed', now.completed ?? '—')];
    if (previous && now.completed !== null) {
      const seconds = (now.at - previous.at) / 1000;
      shown.push(tile('runs/s', ((now.completed - previous.completed) / seconds).toFixed(1)));
      const runs = now.latencyCount - previous.latencyCount;
      shown.push(tile('mean latency (ms)', runs > 0 ? Math.round(1000 * (now.latencySum - previous.latencySum) / runs) : '—'));
    }
    for (const lag of ['sessionflow_summary_lag_seconds', 'sessionflow_context_lag_seconds', 'sessionflow_memory_lag_seconds']) {
      const value = metric(text, lag);
      if (value !== null) shown.push(tile(lag.replace('sessionflow_', '').replaceAll('_', ' '), value.toFixed(1)));
    }
    tiles.replaceChildren(...shown);
    previous = now;
  };
  await tick();
  healthTimer = setInterval(() => tick().catch(() => {}), 2000);
}

// ---- routing -------------------------------------------------------------------------------------

async function route() {
  clearInterval(healthTimer);
  if (!sessionStorage.getItem(KEY) || !who()) {
    signInView();
    return;
  }
  const me = who();
  const nav = document.getElementById('nav');
  nav.hidden = false;
  nav.querySelectorAll('[data-admin]').forEach((link) => { link.hidden = !me.admin; });
  document.getElementById('who').textContent = me.admin ? 'admin' : 'user ' + me.user_id;
  const [path, search] = (location.hash.slice(1) || '/sessions').split('?');
  const params = new URLSearchParams(search || '');
  nav.querySelectorAll('a').forEach((link) => link.classList.toggle('active', link.getAttribute('href') === '#' + path));
  try {
    if (path.startsWith('/session/')) await sessionView(decodeURIComponent(path.slice('/session/'.length)));
    else if (path === '/run') runView(params);
    else if (path === '/jobs') await jobsView();
    else if (path === '/usage') await usageView(params);
    else if (path === '/health') await healthView();
    else await sessionsView(params);
  } catch (error) {
    if (!sessionStorage.getItem(KEY)) signInView(error);
    else show(errorBox(error));
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-out').addEventListener('click', () => { signOut(); route(); });
  route();
});
