// The local workspace page: plain browser JavaScript, no build step, no libraries.
// Every piece of text from the server goes into the page as text (textContent), never as HTML.

const API = '/local/api';
const PERSONA_KEY = 'escalator.local.persona';

const state = {
  workspace: null,
  persona: null,
  channel: null,
  thread: null,
  /** Channels with news since they were last open. */
  unread: new Set(),
};

// ---------- small DOM helpers ----------

/** An element with attributes and children; strings become text nodes. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name === 'testid') node.dataset.testid = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Text with the core's `*bold*` markup, as text nodes and <strong> (line breaks kept by CSS). */
function rich(text) {
  const fragment = document.createDocumentFragment();
  const parts = String(text ?? '').split(/\*([^*\n]+)\*/g);
  parts.forEach((part, index) => {
    if (part === '') return;
    fragment.append(index % 2 === 1 ? el('strong', {}, part) : document.createTextNode(part));
  });
  return fragment;
}

function byId(id) {
  return document.getElementById(id);
}

function showStatus(text, kind = 'info') {
  const status = byId('status');
  status.textContent = text;
  status.className = `status status-${kind}`;
  status.hidden = false;
  clearTimeout(showStatus.timer);
  showStatus.timer = setTimeout(() => {
    status.hidden = true;
  }, 6000);
}

async function api(path, body) {
  const response = await fetch(`${API}/${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
  return answer;
}

function newClientId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function time(iso) {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function initials(name) {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

// ---------- channels and personas ----------

const KIND_HEADINGS = { support: 'Support', escalation: 'Escalations', digest: 'Digest' };

function renderChannels() {
  const list = byId('channels');
  list.replaceChildren();
  for (const kind of ['support', 'escalation', 'digest']) {
    const channels = state.workspace.channels.filter((c) => c.kind === kind);
    if (channels.length === 0) continue;
    list.append(el('h3', { className: 'sidebar-heading' }, KIND_HEADINGS[kind]));
    for (const channel of channels) {
      const active = channel.id === state.channel?.id;
      list.append(
        el(
          'button',
          {
            type: 'button',
            className: `channel-link${active ? ' active' : ''}${state.unread.has(channel.id) ? ' unread' : ''}`,
            testid: `channel-${channel.id}`,
            'aria-current': active ? 'page' : undefined,
            onclick: () => openChannel(channel.id),
          },
          el('span', { className: 'hash' }, '#'),
          el('span', { className: 'channel-name' }, channel.name),
          el('span', { className: 'channel-id' }, channel.id),
        ),
      );
    }
  }
}

function renderPersonas() {
  const select = byId('persona');
  select.replaceChildren(
    ...state.workspace.people.map((p) =>
      el('option', { value: p.id }, `${p.name} (${p.role === 'customer' ? 'customer' : p.title})`),
    ),
  );
  const saved = localStorage.getItem(PERSONA_KEY);
  state.persona = state.workspace.people.some((p) => p.id === saved) ? saved : state.workspace.people[0].id;
  select.value = state.persona;
  select.addEventListener('change', () => {
    state.persona = select.value;
    localStorage.setItem(PERSONA_KEY, state.persona);
    refresh();
  });
}

function channelById(id) {
  return state.workspace.channels.find((c) => c.id === id);
}

async function openChannel(id, { keepThread = false } = {}) {
  const channel = channelById(id);
  if (!channel) return showStatus(`There is no channel ${id} here.`, 'error');
  state.channel = channel;
  state.unread.delete(id);
  if (!keepThread) closeThread({ updateUrl: false });
  if (!keepThread) history.replaceState(null, '', `/local?channel=${encodeURIComponent(id)}`);
  byId('channel-name').textContent = `# ${channel.name}`;
  byId('channel-id').textContent = describeChannel(channel);
  byId('composer-input').placeholder =
    channel.kind === 'support'
      ? `Message #${channel.name} (a customer starts a thread here)`
      : `Message #${channel.name}`;
  renderChannels();
  await loadMessages();
}

function describeChannel(channel) {
  const what =
    channel.kind === 'support'
      ? `support channel of the ${channel.path} path`
      : channel.kind === 'escalation'
        ? `level ${channel.level} of the ${channel.path} path`
        : 'weekly digest';
  return `${channel.id} · ${what}`;
}

// ---------- messages ----------

async function loadMessages() {
  if (!state.channel) return;
  const query = new URLSearchParams({ channel: state.channel.id, as: state.persona });
  const { messages } = await api(`messages?${query}`);
  const list = byId('messages');
  reconcile(list, messages, (m) => renderMessage(m, { inThread: false }));
  if (messages.length === 0) list.replaceChildren(emptyChannel(state.channel));
}

/**
 * Brings a list up to date with as few changes as possible: a message that did not change keeps
 * its element, so a form being filled in (a resolution note) survives news elsewhere in the channel.
 */
function reconcile(list, messages, render) {
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const existing = new Map();
  for (const node of [...list.children]) {
    if (node.dataset.messageId && node.dataset.persona === state.persona)
      existing.set(node.dataset.messageId, node);
    else node.remove();
  }
  const firstLoad = existing.size === 0;
  let previous = null;
  let added = false;
  for (const message of messages) {
    // Its whole content: a card updated within the same millisecond is still new.
    const version = JSON.stringify(message);
    let node = existing.get(message.id);
    existing.delete(message.id);
    if (!node || node.dataset.version !== version) {
      const fresh = render(message);
      fresh.dataset.version = version;
      fresh.dataset.persona = state.persona;
      if (node) node.replaceWith(fresh);
      else added = true;
      node = fresh;
    }
    const expected = previous ? previous.nextSibling : list.firstChild;
    if (node !== expected) list.insertBefore(node, expected);
    previous = node;
  }
  for (const stale of existing.values()) stale.remove();
  // Follow new messages when the reader is at the bottom (or just arrived), not while reading back.
  if (added && (nearBottom || firstLoad)) list.scrollTop = list.scrollHeight;
}

function emptyChannel(channel) {
  const tips = {
    support: [
      'Pick a customer in “Post as”, and ask something here: that starts a thread, which Escalator tracks as an issue.',
      'Try “Can I speak to your manager?”, “We are considering legal action”, or “I want to cancel my account”: the checker escalates it on its next run.',
      'As an agent, open the thread and type /escalate <reason> to escalate by hand.',
    ],
    escalation: [
      'Escalation cards for this level appear here. Claim, resolve or bounce them back as any agent.',
    ],
    digest: ['The weekly digest is posted here. Type /escalation-digest for this week’s figures now.'],
  }[channel.kind];
  return el(
    'div',
    { className: 'empty' },
    el('p', {}, 'Nothing here yet.'),
    el(
      'ul',
      {},
      tips.map((t) => el('li', {}, t)),
    ),
  );
}

function renderMessage(message, { inThread }) {
  const mine = message.author?.id === state.persona;
  const who = message.author?.name ?? 'Escalator';
  const node = el(
    'article',
    {
      className: `message kind-${message.kind}${message.author ? ` role-${message.author.role}` : ' bot'}${mine ? ' mine' : ''}`,
      testid: message.kind === 'ephemeral' ? 'ephemeral' : 'message',
      'data-message-id': message.id,
      'data-kind': message.kind,
    },
    el('div', { className: 'avatar', 'aria-hidden': 'true' }, message.author ? initials(who) : '⇧'),
    el(
      'div',
      { className: 'message-body' },
      el(
        'div',
        { className: 'message-meta' },
        el('span', { className: 'author' }, who),
        message.author
          ? el('span', { className: `badge badge-${message.author.role}` }, message.author.role)
          : el('span', { className: 'badge badge-bot' }, 'app'),
        el('time', { datetime: message.createdAt }, time(message.createdAt)),
        message.kind === 'ephemeral' ? el('span', { className: 'only-you' }, 'Only visible to you') : null,
      ),
      message.text !== undefined && message.kind !== 'card' && !(message.kind === 'ephemeral' && message.card)
        ? el('div', { className: 'text' }, rich(message.text))
        : null,
      message.card ? renderCard(message) : null,
      message.csat ? renderCsat(message) : null,
      !inThread && message.kind !== 'ephemeral' ? threadLink(message) : null,
    ),
  );
  return node;
}

function threadLink(message) {
  const count = message.replyCount ?? 0;
  const label = count === 0 ? 'Reply in thread' : `${count} ${count === 1 ? 'reply' : 'replies'}`;
  return el(
    'button',
    {
      type: 'button',
      className: 'link-button thread-link',
      onclick: () => openThread(message.channel, message.id),
    },
    label,
  );
}

// ---------- cards ----------

const BUTTON_STYLES = { primary: 'primary', danger: 'danger' };

function renderCard(message) {
  const card = message.card;
  const reply = el('div', { className: 'card-reply', testid: 'action-reply', hidden: true });
  const formSlot = el('div', { className: 'card-form-slot' });
  // Its own slot: reading the conversation keeps a half-written resolution note.
  const conversationSlot = el('div', { className: 'card-conversation-slot' });
  return el(
    'div',
    { className: 'card', testid: 'card' },
    el('div', { className: 'card-title' }, card.title),
    el('div', { className: 'card-status' }, rich(card.status)),
    card.fields.length > 0
      ? el(
          'dl',
          { className: 'card-fields' },
          card.fields.map((f) =>
            el('div', { className: 'field' }, el('dt', {}, f.label), el('dd', {}, rich(f.value))),
          ),
        )
      : null,
    card.chartPng
      ? el('img', { className: 'card-chart', src: card.chartPng, alt: card.chartTitle ?? 'chart' })
      : null,
    card.sections.map((s) =>
      el(
        'section',
        { className: 'card-section' },
        el('h4', {}, s.heading),
        el('div', { className: 'text' }, rich(s.text)),
      ),
    ),
    card.links.length > 0
      ? el(
          'div',
          { className: 'card-links' },
          card.links.map((l) => renderLink(l)),
        )
      : null,
    card.actions.length > 0
      ? el(
          'div',
          { className: 'card-actions' },
          card.actions.map((a) =>
            el(
              'button',
              {
                type: 'button',
                className: `button ${BUTTON_STYLES[a.style] ?? ''}`,
                testid: `card-button-${a.id}`,
                onclick: () => clickAction(message, a, formSlot, reply),
              },
              a.label,
            ),
          ),
        )
      : null,
    card.conversation || card.suggestions
      ? el(
          'div',
          { className: 'card-actions' },
          card.conversation
            ? el(
                'button',
                {
                  type: 'button',
                  className: 'button',
                  testid: 'card-button-view-conversation',
                  onclick: () => showConversation(card.conversation.escalationId, 0, conversationSlot),
                },
                card.conversation.label,
              )
            : null,
          card.suggestions ? suggestionButtons(message, card.suggestions, reply) : null,
        )
      : null,
    formSlot,
    conversationSlot,
    reply,
    card.context.length > 0
      ? el(
          'div',
          { className: 'card-context' },
          card.context.map((c) => el('div', {}, rich(c))),
        )
      : null,
  );
}

function renderLink(link) {
  const local = link.url.startsWith('/local/');
  return el(
    'a',
    {
      className: 'button link',
      href: link.url,
      target: local ? undefined : '_blank',
      rel: local ? undefined : 'noopener noreferrer',
      onclick: local
        ? (event) => {
            event.preventDefault();
            openThread(link.channel, link.threadId);
          }
        : undefined,
    },
    link.label,
  );
}

function clickAction(message, action, formSlot, reply) {
  const send = (inputs) => act(message, action, inputs, reply, formSlot);
  if (action.id === 'resolve') return openForm(formSlot, resolveForm(send));
  if (action.id === 'bounce')
    return openForm(
      formSlot,
      reasonForm('Why are you bouncing it back? The level below reads this.', true, send),
    );
  if (action.id === 'not_an_escalation')
    return openForm(formSlot, reasonForm('Why is it not an escalation? (optional)', false, send));
  return send({});
}

function openForm(slot, form) {
  slot.replaceChildren(form);
  form.querySelector('textarea, select, input')?.focus();
}

function resolveForm(send) {
  const note = el('textarea', {
    rows: 3,
    testid: 'resolve-note',
    placeholder: 'What fixed it? The frontline tells the customer.',
  });
  const answer = el('textarea', {
    rows: 3,
    testid: 'resolve-answer',
    placeholder: 'For a knowledge gap: how the frontline can answer this next time without escalating.',
  });
  const cause = el(
    'select',
    { testid: 'resolve-root-cause' },
    el('option', { value: '' }, 'Root cause…'),
    state.workspace.rootCauses.map((c) => el('option', { value: c.id }, c.label)),
  );
  return el(
    'form',
    {
      className: 'card-form',
      onsubmit: (event) => {
        event.preventDefault();
        send({ note: note.value, rootCause: cause.value, answer: answer.value });
      },
    },
    el('label', {}, 'Resolution note', note),
    el('label', {}, 'Root cause', cause),
    el('label', {}, 'Reusable answer (optional)', answer),
    el('button', { type: 'submit', className: 'button primary', testid: 'form-submit' }, 'Resolve'),
  );
}

function reasonForm(question, required, send) {
  const reason = el('textarea', { rows: 2, testid: 'form-reason', required: required || undefined });
  return el(
    'form',
    {
      className: 'card-form',
      onsubmit: (event) => {
        event.preventDefault();
        send({ reason: reason.value });
      },
    },
    el('label', {}, question, reason),
    el('button', { type: 'submit', className: 'button primary', testid: 'form-submit' }, 'Send'),
  );
}

async function act(message, action, inputs, reply, formSlot) {
  try {
    const answer = await api('actions', {
      messageId: message.id,
      escalationId: action.escalationId,
      action: action.id,
      personId: state.persona,
      inputs,
    });
    if (answer.done) {
      formSlot.replaceChildren();
      reply.hidden = true;
      showStatus(`Done: the escalation is ${answer.status}. The card updates in a moment.`);
    } else {
      reply.textContent = answer.reply;
      reply.hidden = false;
    }
  } catch (error) {
    reply.textContent = error.message;
    reply.hidden = false;
  }
}

// ---------- before you escalate ----------

/** "This solved it" for each past escalation offered, then "Escalate anyway". */
function suggestionButtons(message, suggestions, reply) {
  const choose = async (body) => {
    try {
      const answer = await api('suggestions', { messageId: message.id, personId: state.persona, ...body });
      reply.textContent = answer.reply;
      reply.hidden = false;
      if (answer.done) await refresh();
    } catch (error) {
      reply.textContent = error.message;
      reply.hidden = false;
    }
  };
  return [
    ...suggestions.offered.map((o) =>
      el(
        'button',
        {
          type: 'button',
          className: 'button primary',
          testid: `suggestion-solved-${o.escalationNumber}`,
          onclick: () => choose({ choice: 'solved', entryId: o.entryId }),
        },
        `This solved it (#${o.escalationNumber})`,
      ),
    ),
    el(
      'button',
      {
        type: 'button',
        className: 'button',
        testid: 'suggestion-escalate-anyway',
        onclick: () => choose({ choice: 'escalate_anyway' }),
      },
      'Escalate anyway',
    ),
  ];
}

// ---------- view conversation ----------

/** The escalation's whole thread, a page at a time, under the card (as a Slack modal would show it). */
async function showConversation(escalationId, page, slot) {
  try {
    const query = new URLSearchParams({ escalation: escalationId, page: String(page) });
    const view = await api(`transcript?${query}`);
    slot.replaceChildren(conversationPanel(view, slot));
  } catch (error) {
    slot.replaceChildren(el('div', { className: 'card-reply' }, error.message));
  }
}

function conversationPanel(view, slot) {
  const go = (page) => showConversation(view.escalationId, page, slot);
  return el(
    'div',
    { className: 'conversation', testid: 'conversation' },
    el(
      'div',
      { className: 'conversation-header' },
      el('strong', {}, `Conversation of escalation #${view.escalationNumber}`),
      el('span', { className: 'muted small', testid: 'conversation-page' }, view.pageLabel),
    ),
    el(
      'ol',
      { className: 'conversation-lines' },
      view.lines.map((line) =>
        el(
          'li',
          { className: `conversation-line role-${line.role}`, testid: 'conversation-line' },
          el(
            'div',
            { className: 'message-meta' },
            el('span', { className: 'author' }, line.author.name),
            el('span', { className: `badge badge-${line.role}` }, line.role),
            el('time', { datetime: line.at }, time(line.at)),
            line.edited ? el('span', { className: 'muted small' }, '(edited)') : null,
          ),
          // What people wrote, as typed: no markup.
          el('div', { className: 'text' }, line.text),
        ),
      ),
    ),
    el(
      'div',
      { className: 'conversation-nav' },
      el(
        'button',
        {
          type: 'button',
          className: 'button',
          testid: 'conversation-previous',
          disabled: view.page === 0,
          onclick: () => go(view.page - 1),
        },
        '‹ Previous',
      ),
      el(
        'button',
        {
          type: 'button',
          className: 'button',
          testid: 'conversation-next',
          disabled: view.page >= view.pages - 1,
          onclick: () => go(view.page + 1),
        },
        'Next ›',
      ),
      el(
        'button',
        {
          type: 'button',
          className: 'link-button',
          testid: 'conversation-close',
          onclick: () => slot.replaceChildren(),
        },
        'Close',
      ),
    ),
  );
}

// ---------- CSAT ----------

const FACES = { 1: '😞', 2: '🙁', 3: '😐', 4: '🙂', 5: '😄' };

function renderCsat(message) {
  const { escalationId, number, score } = message.csat;
  const reply = el('div', { className: 'card-reply', hidden: true });
  if (score !== undefined) {
    return el(
      'div',
      { className: 'csat answered' },
      `Rated ${score}/5 for escalation #${number}. Thank you!`,
    );
  }
  return el(
    'div',
    { className: 'csat' },
    el(
      'div',
      { className: 'csat-buttons' },
      [1, 2, 3, 4, 5].map((n) =>
        el(
          'button',
          {
            type: 'button',
            className: 'button',
            testid: `csat-button-${n}`,
            title: `${n} of 5`,
            onclick: async () => {
              try {
                const answer = await api('csat', { escalationId, score: n, personId: state.persona });
                reply.textContent = answer.reply;
                reply.hidden = false;
              } catch (error) {
                reply.textContent = error.message;
                reply.hidden = false;
              }
            },
          },
          `${FACES[n]} ${n}`,
        ),
      ),
    ),
    reply,
  );
}

// ---------- threads ----------

async function openThread(channelId, threadId) {
  if (state.channel?.id !== channelId) await openChannel(channelId, { keepThread: true });
  state.thread = { channel: channelId, id: threadId };
  byId('thread').hidden = false;
  document.body.classList.add('thread-open');
  history.replaceState(
    null,
    '',
    `/local/threads/${encodeURIComponent(channelId)}/${encodeURIComponent(threadId)}`,
  );
  await loadThread();
  byId('thread-composer-input').focus();
}

function closeThread({ updateUrl = true } = {}) {
  state.thread = null;
  byId('thread').hidden = true;
  document.body.classList.remove('thread-open');
  if (updateUrl && state.channel)
    history.replaceState(null, '', `/local?channel=${encodeURIComponent(state.channel.id)}`);
}

async function loadThread() {
  if (!state.thread) return;
  const query = new URLSearchParams({
    channel: state.thread.channel,
    thread: state.thread.id,
    as: state.persona,
  });
  const list = byId('thread-messages');
  try {
    const { messages } = await api(`messages?${query}`);
    const rootId = messages[0]?.id;
    reconcile(list, messages, (m) => {
      const node = renderMessage(m, { inThread: true });
      if (m.id === rootId) node.classList.add('thread-root');
      return node;
    });
  } catch (error) {
    list.replaceChildren(el('p', { className: 'empty' }, error.message));
  }
}

// ---------- posting ----------

async function post(input, threadId) {
  const text = input.value.trim();
  if (!text || !state.channel) return;
  const channel = threadId ? state.thread.channel : state.channel.id;
  input.disabled = true;
  try {
    const answer = await api('messages', {
      channel,
      threadId,
      authorId: state.persona,
      text,
      clientId: newClientId(),
    });
    input.value = '';
    if (answer.reply) showStatus('Escalator answered you privately (only visible to you).');
    await refresh();
  } catch (error) {
    showStatus(error.message, 'error');
  } finally {
    input.disabled = false;
    input.focus();
  }
}

function wireComposer(formId, inputId, threadOf) {
  const form = byId(formId);
  const input = byId(inputId);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    post(input, threadOf());
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      post(input, threadOf());
    }
  });
}

// ---------- live updates ----------

let pending;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 50);
}

async function refresh() {
  try {
    await Promise.all([loadMessages(), loadThread()]);
  } catch (error) {
    showStatus(error.message, 'error');
  }
}

function listen() {
  const events = new EventSource(`${API}/events`);
  events.onmessage = (event) => {
    const news = JSON.parse(event.data);
    if (news.channel === state.channel?.id) return refreshSoon();
    if (state.thread && news.channel === state.thread.channel) return refreshSoon();
    if (channelById(news.channel)) {
      state.unread.add(news.channel);
      renderChannels();
    }
  };
}

// ---------- start ----------

function initialPlace() {
  const thread = /^\/local\/threads\/([^/]+)\/([^/]+)\/?$/.exec(location.pathname);
  if (thread) return { channel: decodeURIComponent(thread[1]), thread: decodeURIComponent(thread[2]) };
  const channel = new URLSearchParams(location.search).get('channel');
  return { channel: channel ?? state.workspace.channels[0]?.id };
}

async function start() {
  state.workspace = await api('workspace');
  renderPersonas();
  wireComposer('composer', 'composer-input', () => undefined);
  wireComposer('thread-composer', 'thread-composer-input', () => state.thread?.id);
  byId('thread-close').addEventListener('click', () => closeThread());
  const place = initialPlace();
  if (!place.channel) {
    byId('channel-name').textContent = 'No channels';
    byId('messages').replaceChildren(
      el('p', { className: 'empty' }, 'The escalation policy names no channel to simulate.'),
    );
    return;
  }
  if (place.thread) await openThread(place.channel, place.thread);
  else await openChannel(place.channel);
  listen();
}

start().catch((error) => showStatus(`The workspace did not load: ${error.message}`, 'error'));
