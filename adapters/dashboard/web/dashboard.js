// The Escalator dashboard: plain browser JavaScript, no build step, nothing loaded from elsewhere.
// Every text from the server (customer words, names, notes) goes in through textContent, never as
// HTML, so nothing a customer typed can run here.

const API = '/dashboard/api';
const OPEN_POLL_MS = 10_000;
const HISTORY_POLL_MS = 15_000;
const HISTORY_PATH = /^\/dashboard\/escalations\/(esc_[A-Za-z0-9]+)$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Server time minus browser time: countdowns run on the server's clock, whatever this machine's says. */
let clockOffsetMs = 0;
let historyId = null;
let historyTimer = null;
let pathsListed = false;

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes, never markup. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Only web links and our own paths: a stored id must never become a `javascript:` link. */
function safeHref(url) {
  if (typeof url !== 'string') return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function serverNow() {
  return Date.now() + clockOffsetMs;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** The same text as countdownText in src/app/dashboard/sla-countdown.ts: keep the two in step. */
function countdownText(remainingMs) {
  const late = remainingMs < 0;
  const ms = Math.abs(remainingMs);
  let text;
  if (ms < MINUTE) text = `${Math.floor(ms / SECOND)}s`;
  else if (ms < HOUR) {
    const minutes = Math.floor(ms / MINUTE);
    text = late ? `${minutes}m` : `${minutes}m ${pad(Math.floor((ms % MINUTE) / SECOND))}s`;
  } else if (ms < 2 * DAY) text = `${Math.floor(ms / HOUR)}h ${pad(Math.floor((ms % HOUR) / MINUTE))}m`;
  else text = `${Math.floor(ms / DAY)}d ${Math.floor((ms % DAY) / HOUR)}h`;
  return late ? `overdue by ${text}` : `${text} left`;
}

/** "45s", "12m", "3h 05m", "2d 4h": how long ago something started. */
function ageText(ms) {
  const abs = Math.max(0, ms);
  if (abs < MINUTE) return `${Math.floor(abs / SECOND)}s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)}m`;
  if (abs < 2 * DAY) return `${Math.floor(abs / HOUR)}h ${pad(Math.floor((abs % HOUR) / MINUTE))}m`;
  return `${Math.floor(abs / DAY)}d ${Math.floor((abs % DAY) / HOUR)}h`;
}

/** "12m", "3h 5m", "–" for none: the digest's durations. */
function durationText(ms) {
  if (ms === null || ms === undefined) return '–';
  const minutes = Math.round(ms / MINUTE);
  if (ms < MINUTE) return `${Math.round(ms / SECOND)}s`;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${minutes % 60 ? ` ${minutes % 60}m` : ''}`;
  return `${Math.floor(hours / 24)}d${hours % 24 ? ` ${hours % 24}h` : ''}`;
}

/** The policy's time zone, as the API gives it: times read as on the cards and in the digest. */
let policyTimeZone;

function timeText(iso) {
  return new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: policyTimeZone,
    timeZoneName: policyTimeZone ? 'short' : undefined,
  });
}

async function getJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    throw new Error(body?.error ?? `The server answered ${response.status}; reload the page.`);
  }
  return body;
}

function showError(id, error) {
  const node = $(id);
  if (error) {
    node.textContent = error.message ?? String(error);
    node.hidden = false;
  } else {
    node.hidden = true;
    node.textContent = '';
  }
}

// ---------- open escalations ----------

function clockCell(clock) {
  if (!clock) return el('span', { 'data-testid': 'sla-clock', className: 'clock none' }, 'no deadline');
  return el('span', {
    'data-testid': 'sla-clock',
    className: `clock ${clock.overdue ? 'overdue' : ''}`,
    title: `${clock.kind === 'claim' ? 'Claim' : 'Resolve'} by ${timeText(clock.dueAt)}`,
    dataset: { due: clock.dueAt, kind: clock.kind },
  });
}

function openRow(e) {
  const href = safeHref(e.threadUrl);
  const row = el(
    'tr',
    {
      'data-testid': 'open-escalation',
      dataset: { escalationId: e.id },
      className: `status-${e.status}`,
      tabindex: 0,
    },
    el('td', { className: 'number' }, `#${e.number}`),
    el(
      'td',
      { className: 'title' },
      el('span', { className: 'title-text' }, e.title),
      el('span', { className: 'trigger' }, e.trigger.label),
      e.pingPong ? el('span', { className: 'flag' }, 'ping-pong') : null,
    ),
    el('td', {}, `${e.path} · ${e.level.name}`),
    el('td', { className: `priority ${e.priority}` }, e.priority),
    el('td', { className: 'status' }, e.status),
    el('td', {}, e.claimedBy ? e.claimedBy.name : '–'),
    el('td', { className: 'age', dataset: { since: e.createdAt } }),
    el(
      'td',
      {},
      el('span', { className: 'clock-kind' }, e.clock ? `${e.clock.kind} ` : ''),
      clockCell(e.clock),
    ),
    el(
      'td',
      {},
      href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, `issue #${e.issueNumber}`) : '',
    ),
  );
  const open = (event) => {
    if (event.target instanceof HTMLAnchorElement) return; // the thread link opens the thread
    showHistory(e.id, true);
  };
  row.addEventListener('click', open);
  row.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') open(event);
  });
  return row;
}

async function refreshOpen() {
  try {
    const data = await getJson(`${API}/open`);
    policyTimeZone = data.timeZone;
    clockOffsetMs = Date.parse(data.now) - Date.now();
    $('open-rows').replaceChildren(...data.escalations.map(openRow));
    $('open-count').textContent = `(${data.escalations.length}${data.truncated ? '+' : ''})`;
    $('open-empty').hidden = data.escalations.length > 0;
    $('open-more').hidden = !data.truncated;
    $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    showError('open-error', null);
    tick();
  } catch (error) {
    showError('open-error', error);
  }
}

/** Every second: the countdowns and ages move without asking the server. */
function tick() {
  const now = serverNow();
  for (const node of document.querySelectorAll('[data-testid="sla-clock"][data-due]')) {
    const remaining = Date.parse(node.dataset.due) - now;
    node.textContent = countdownText(remaining);
    node.classList.toggle('overdue', remaining < 0);
  }
  for (const node of document.querySelectorAll('[data-since]')) {
    node.textContent = ageText(now - Date.parse(node.dataset.since));
  }
}

// ---------- one escalation's history ----------

function fact(label, value) {
  if (value === null || value === undefined || value === '') return [];
  return [el('dt', {}, label), el('dd', {}, value)];
}

function renderHistory(data) {
  const e = data.escalation;
  $('history-title').textContent = `Escalation #${e.number}: ${e.title}`;
  const href = safeHref(e.threadUrl);
  $('history-facts').replaceChildren(
    ...fact('Status', e.status),
    ...fact('Path · level', `${e.path} · ${e.level.name}`),
    ...fact('Priority', e.priority),
    ...fact('Trigger', `${e.trigger.label}${e.evidence && e.evidence !== e.title ? `: ${e.evidence}` : ''}`),
    ...fact('Escalated by', e.createdBy.name),
    ...fact('Claimed by', e.claimedBy?.name),
    ...fact('Resolved by', e.resolvedBy?.name),
    ...fact('Root cause', e.rootCause?.label),
    ...fact('Resolution', e.resolutionNote),
    ...fact('Bounce reason', e.bounceReason),
    ...fact('Note', e.statusNote),
    ...(e.clock
      ? [
          el('dt', {}, `${e.clock.kind === 'claim' ? 'Claim' : 'Resolve'} deadline`),
          el('dd', {}, clockCell(e.clock)),
        ]
      : []),
    ...(href
      ? [
          el('dt', {}, 'Thread'),
          el(
            'dd',
            {},
            el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, `issue #${e.issueNumber}`),
          ),
        ]
      : []),
  );
  $('history-chain').replaceChildren(
    ...data.chain.map((link) =>
      el(
        'li',
        { className: `relation-${link.relation}`, dataset: { relation: link.relation } },
        link.relation === 'this'
          ? el('strong', {}, `#${link.number} ${link.level.name} (${link.status}) — this one`)
          : el(
              'a',
              {
                href: `/dashboard/escalations/${encodeURIComponent(link.id)}`,
                dataset: { escalationId: link.id },
              },
              `#${link.number} ${link.level.name} (${link.status}) — ${link.relation}`,
            ),
      ),
    ),
  );
  for (const a of $('history-chain').querySelectorAll('a[data-escalation-id]')) {
    a.addEventListener('click', (event) => {
      event.preventDefault();
      showHistory(a.dataset.escalationId, true);
    });
  }
  $('history-events').replaceChildren(
    ...data.events.map((event) =>
      el(
        'tr',
        { 'data-testid': 'history-event', dataset: { action: event.action } },
        el('td', { title: event.at }, timeText(event.at)),
        el('td', {}, event.what),
        el('td', {}, event.who.name),
        el('td', { className: 'source' }, event.source),
        el('td', { className: 'detail' }, event.detail ?? ''),
      ),
    ),
  );
  tick();
}

async function loadHistory() {
  if (!historyId) return;
  try {
    const data = await getJson(`${API}/escalations/${encodeURIComponent(historyId)}`);
    policyTimeZone = data.timeZone;
    clockOffsetMs = Date.parse(data.now) - Date.now();
    renderHistory(data);
    showError('history-error', null);
  } catch (error) {
    showError('history-error', error);
  }
}

function showHistory(id, push) {
  historyId = id;
  if (push)
    history.pushState({ id }, '', `/dashboard/escalations/${encodeURIComponent(id)}${location.search}`);
  $('history').hidden = false;
  clearInterval(historyTimer);
  historyTimer = setInterval(loadHistory, HISTORY_POLL_MS);
  loadHistory().then(() => $('history').scrollIntoView({ block: 'start' }));
}

function hideHistory(push) {
  historyId = null;
  clearInterval(historyTimer);
  $('history').hidden = true;
  if (push) history.pushState({}, '', `/dashboard${location.search}`);
}

function followLocation() {
  const match = HISTORY_PATH.exec(location.pathname);
  if (match) showHistory(match[1], false);
  else hideHistory(false);
}

// ---------- digest ----------

function figureCard(figure) {
  return el(
    'div',
    { className: 'figure', 'data-testid': `figure-${figure.name}` },
    el('span', { className: 'label' }, figure.label),
    el('span', { className: 'value' }, figure.value),
    el('span', { className: 'previous' }, `previous: ${figure.previous}`),
    figure.change ? el('span', { className: 'change' }, figure.change) : null,
  );
}

function bars(rows, empty) {
  if (rows.length === 0) return [el('p', { className: 'empty' }, empty)];
  const max = Math.max(...rows.map((r) => r.value), 0) || 1;
  return rows.map((r) => {
    const bar = el('span', { className: 'bar' });
    // CSSOM, not a style attribute: the page's policy allows no inline styles.
    bar.style.width = `${Math.max(1, (r.value / max) * 100)}%`;
    return el(
      'div',
      { className: 'bar-row' },
      el('span', { className: 'bar-label' }, r.label),
      el('span', { className: 'bar-track' }, bar),
      el('span', { className: 'bar-value' }, r.text),
    );
  });
}

function chosenPeriod() {
  return { period: $('period-input').value.trim(), path: $('path-select').value };
}

function query({ period, path }) {
  const params = new URLSearchParams();
  if (period) params.set('period', period);
  if (path) params.set('path', path);
  return params.toString();
}

async function loadDigest() {
  const choice = chosenPeriod();
  const q = query(choice);
  try {
    const data = await getJson(`${API}/digest?${q}`);
    showError('digest-error', null);
    if (!pathsListed) {
      pathsListed = true;
      const select = $('path-select');
      const listed = new Set([...select.options].map((option) => option.value));
      for (const path of data.paths) {
        if (!listed.has(path)) select.append(el('option', { value: path }, path));
      }
      select.value = choice.path;
    }
    $('digest-period').textContent = `${data.period.label} (${data.period.first} – ${data.period.last})${
      data.path ? ` · path ${data.path}` : ''
    }, compared with ${data.previousPeriod.label}`;
    $('figures').replaceChildren(...data.figures.map(figureCard));
    $('chart-image').src = `${API}/chart.svg?${q}`;
    $('root-causes').replaceChildren(
      ...bars(
        data.rootCauses.map((c) => ({
          label: c.label,
          value: c.count,
          text: `${c.count} (${Math.round(c.share * 100)}%) · before ${c.previousCount}`,
        })),
        'No escalation resolved with a root cause in this period.',
      ),
    );
    $('level-resolve').replaceChildren(
      ...bars(
        data.levels
          .filter((l) => l.p50Ms !== null)
          .map((l) => ({
            label: l.label,
            value: l.p50Ms,
            text: `${durationText(l.p50Ms)} · p90 ${durationText(l.p90Ms)} · ${l.resolved} resolved`,
          })),
        'Nothing resolved in this period.',
      ),
    );
    const url = new URL(location.href);
    url.search = q;
    history.replaceState(history.state, '', url);
  } catch (error) {
    showError('digest-error', error);
  }
}

// ---------- start ----------

function start() {
  const params = new URLSearchParams(location.search);
  if (params.get('period')) $('period-input').value = params.get('period');
  if (params.get('path')) {
    const select = $('path-select');
    select.append(el('option', { value: params.get('path') }, params.get('path')));
    select.value = params.get('path');
  }
  $('period-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadDigest();
  });
  $('history-close').addEventListener('click', (event) => {
    event.preventDefault();
    hideHistory(true);
  });
  window.addEventListener('popstate', followLocation);
  followLocation();
  refreshOpen();
  loadDigest();
  setInterval(refreshOpen, OPEN_POLL_MS);
  setInterval(tick, SECOND);
}

start();
