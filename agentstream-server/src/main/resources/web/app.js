// The chat page: wires the side list, the transcript, the composer and the dialogs to the /v1 API.
// The page is a client like any other: everything it shows comes from the API.

import { ApiError, apiKey, createApi } from './api.js';
import { askApiKey, askDecisions, confirmAction } from './dialogs.js';
import { byId, h, setText } from './dom.js';
import { LiveRun, snapshots } from './live-run.js';
import { newRun, turnsFromHistory } from './run-model.js';
import { TurnView } from './run-view.js';
import { renderSessions } from './sessions.js';

const AGENT_STORAGE = 'agentstream.target';
const DEMO_HINT = 'story 50 · calculate 2+3 · time · email bob@example.com hello · think about rain · fail';

const ui = {
  app: byId('app'),
  sidebar: byId('sidebar'),
  toggle: byId('toggle-sidebar'),
  scrim: byId('scrim'),
  newChat: byId('new-chat'),
  sessions: byId('sessions'),
  sessionsEmpty: byId('sessions-empty'),
  forgetKey: byId('forget-key'),
  target: byId('target'),
  modelNote: byId('model-note'),
  connection: byId('connection'),
  errors: byId('errors'),
  transcript: byId('transcript'),
  composer: byId('composer'),
  message: byId('message'),
  send: byId('send'),
  stop: byId('stop'),
};

const state = {
  targets: [],
  sessions: [],
  sessionId: null,
  live: null,
  opening: 0,
  reviewing: false,
  stickToBottom: true,
};

let keyPrompt = null;
const api = createApi({ askForKey });

function askForKey(reason) {
  keyPrompt ??= askApiKey(reason)
    .then((key) => {
      if (!key) throw new ApiError(401, 'unauthorized', 'This server needs an API key; none was given.');
      apiKey.set(key);
      updateKeyButton();
    })
    .finally(() => {
      keyPrompt = null;
    });
  return keyPrompt;
}

// ---- errors and status -------------------------------------------------------------------------

function showError(error) {
  if (error && error.name === 'AbortError') return;
  const text = error instanceof ApiError ? `${error.message} (${error.code})` : (error && error.message) || String(error);
  const item = h('div', { class: 'banner-error' },
    h('span', { class: 'error-text', text }),
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', text: '✕', on: { click: () => item.remove() } }));
  ui.errors.append(item);
  while (ui.errors.children.length > 3) ui.errors.firstElementChild.remove();
  console.error(error);
}

function setBusy(busy) {
  ui.app.classList.toggle('busy', busy);
  ui.send.hidden = busy;
  ui.stop.hidden = !busy;
  ui.stop.disabled = false;
  setText(ui.stop, 'Stop');
}

function updateKeyButton() {
  ui.forgetKey.hidden = !apiKey.get();
}

// ---- agents and teams --------------------------------------------------------------------------

async function loadTargets() {
  const { agents } = await api.json('GET', 'v1/agents');
  // Teams are listed with the agents (kind "team") and run at the same route.
  state.targets = agents.map((a) => ({ id: a.agent_id, name: a.name, model: a.model, team: a.kind === 'team' }));
  const option = (t) => h('option', { value: t.id, text: t.name && t.name !== t.id ? `${t.name} (${t.id})` : t.id });
  const agentOptions = state.targets.filter((t) => !t.team).map(option);
  const teamOptions = state.targets.filter((t) => t.team).map(option);
  ui.target.replaceChildren(...(teamOptions.length
    ? [h('optgroup', { label: 'Agents' }, agentOptions), h('optgroup', { label: 'Teams' }, teamOptions)]
    : agentOptions));
  const saved = localStorage.getItem(AGENT_STORAGE);
  if (saved && state.targets.some((t) => t.id === saved)) ui.target.value = saved;
  updateModelNote();
}

function currentTarget() {
  return state.targets.find((t) => t.id === ui.target.value) || null;
}

function selectTargetOf(session) {
  const value = session.agent_id || session.team_id;
  if ([...ui.target.options].some((o) => o.value === value)) ui.target.value = value;
  ui.target.disabled = true;
  updateModelNote();
}

function updateModelNote() {
  const target = currentTarget();
  const demo = Boolean(target && /demo/i.test(target.model || ''));
  ui.modelNote.hidden = !demo;
  setText(ui.modelNote, demo ? 'Demo model: offline, no LLM' : '');
  ui.modelNote.title = demo ? 'Replies are scripted by agentstream\u2019s offline demo model.' : '';
  ui.app.classList.toggle('demo', demo);
}

// ---- sessions ----------------------------------------------------------------------------------

async function refreshSessions() {
  try {
    const { sessions } = await api.json('GET', 'v1/sessions?limit=100');
    state.sessions = sessions;
    drawSessions();
  } catch (e) {
    showError(e);
  }
}

function drawSessions() {
  renderSessions(ui.sessions, state.sessions, state.sessionId, {
    onOpen: (s) => {
      closeSidebar();
      if (s.session_id !== state.sessionId || !state.live) openSession(s.session_id);
    },
    onDelete: deleteSession,
  });
  ui.sessionsEmpty.hidden = state.sessions.length > 0;
}

async function deleteSession(session) {
  const title = session.title || 'this chat';
  if (!(await confirmAction(`Delete “${title}” and its history?`, 'Delete'))) return;
  try {
    await api.json('DELETE', `v1/sessions/${encodeURIComponent(session.session_id)}`);
    if (session.session_id === state.sessionId) newChat();
    state.sessions = state.sessions.filter((s) => s.session_id !== session.session_id);
    drawSessions();
  } catch (e) {
    showError(e);
  }
  refreshSessions();
}

function setLocation(sessionId) {
  const hash = sessionId ? `#session=${encodeURIComponent(sessionId)}` : ' ';
  if (location.hash !== hash.trim()) history.replaceState(null, '', hash === ' ' ? location.pathname : hash);
}

function sessionFromLocation() {
  const match = /^#session=(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

// ---- the transcript ----------------------------------------------------------------------------

function clearTranscript() {
  ui.transcript.replaceChildren();
  state.stickToBottom = true;
}

function showWelcome() {
  const target = currentTarget();
  ui.transcript.replaceChildren(h('div', { class: 'welcome' },
    h('h1', { text: 'What shall we do?' }),
    h('p', { text: 'Type a message below. Enter sends, Shift+Enter starts a new line.' }),
    target && /demo/i.test(target.model || '') ? h('p', { class: 'hint' }, 'Try: ', h('code', { text: DEMO_HINT })) : null));
}

function addTurn(userText, run) {
  ui.transcript.querySelector('.welcome')?.remove();
  const turn = new TurnView({ userText, run, onReview: (r) => review(r, turn) });
  ui.transcript.append(turn.el);
  return turn;
}

function newChat() {
  detachLive();
  state.opening++;
  state.sessionId = null;
  setLocation(null);
  ui.target.disabled = false;
  updateModelNote();
  showWelcome();
  drawSessions();
  ui.message.focus();
}

async function openSession(sessionId, { snapshot = null } = {}) {
  const token = ++state.opening;
  detachLive();
  state.sessionId = sessionId;
  setLocation(sessionId);
  drawSessions();
  clearTranscript();
  ui.transcript.setAttribute('aria-busy', 'true');
  const id = encodeURIComponent(sessionId);
  try {
    const [session, { messages }, { runs }] = await Promise.all([
      api.json('GET', `v1/sessions/${id}`),
      api.json('GET', `v1/sessions/${id}/messages`),
      api.json('GET', `v1/sessions/${id}/runs`),
    ]);
    if (token !== state.opening) return;
    selectTargetOf(session);
    const activeRunId = (snapshot && snapshot.run.runId) || session.active_run_id || null;
    let activeUserText = snapshot ? snapshot.userText : null;
    let last = null;
    for (const turn of turnsFromHistory(messages, runs)) {
      if (activeRunId && turn.run.runId === activeRunId) {
        activeUserText = turn.userText ?? activeUserText;
        continue;
      }
      last = { view: addTurn(turn.userText, turn.run), run: turn.run };
    }
    ui.transcript.removeAttribute('aria-busy');
    if (activeRunId) {
      const run = snapshot && snapshot.run.runId === activeRunId
        ? snapshot.run
        : newRun({ runId: activeRunId, sessionId, agentId: session.agent_id });
      const view = addTurn(activeUserText, run);
      const live = makeLive(run, view, activeUserText, snapshot ? snapshot.target : currentTarget());
      follow(live, (l) => l.resume()).then(() => {
        if (run.status === 'paused' && !live.detached) review(run, view);
      });
    } else if (last && last.run.status === 'paused') {
      await loadPause(last.run, last.view);
      if (token === state.opening) review(last.run, last.view);
    } else if (!last) {
      showWelcome();
    }
  } catch (e) {
    ui.transcript.removeAttribute('aria-busy');
    if (token !== state.opening) return;
    showError(e);
    if (e instanceof ApiError && e.status === 404) {
      snapshots.clear();
      newChat();
    }
  }
}

/** A paused run from history: its pending requests come from GET /v1/runs/{id}. */
async function loadPause(run, view) {
  const stored = await api.json('GET', `v1/runs/${encodeURIComponent(run.runId)}`);
  run.requirements = stored.requirements || [];
  run.lastSeq = Math.max(run.lastSeq, stored.last_seq || 0);
  for (const req of run.requirements) {
    const tool = req.tool || {};
    const known = run.tools.find((t) => t.id === req.tool_call_id);
    if (known) known.state = 'waiting';
    else run.tools.push({ id: req.tool_call_id, name: tool.tool_name, args: tool.tool_args ?? null, state: 'waiting', result: null, error: null });
  }
  view.answer.update(run);
}

// ---- runs --------------------------------------------------------------------------------------

function makeLive(run, turn, userText, target) {
  return new LiveRun({
    api,
    run,
    view: turn.answer,
    target: target || currentTarget(),
    userText,
    hooks: {
      onStarted: (event) => {
        if (!state.sessionId && event.session_id) {
          state.sessionId = event.session_id;
          setLocation(state.sessionId);
          ui.target.disabled = true;
        }
        refreshSessions();
      },
      onConnection: (text) => {
        setText(ui.connection, text);
        ui.app.classList.toggle('offline', Boolean(text));
      },
      onError: showError,
    },
  });
}

/** Follows `live` while `action(live)` runs: the Stop button is shown, and a pause asks the person. */
async function follow(live, action) {
  state.live = live;
  setBusy(true);
  try {
    await action(live);
  } catch (e) {
    showError(e);
  } finally {
    if (state.live === live) {
      state.live = null;
      setBusy(false);
    }
  }
  if (live.detached) return;
  refreshSessions();
  if (live.failedToStart && !ui.message.value && live.userText) ui.message.value = live.userText;
}

async function send() {
  const text = ui.message.value;
  if (!text.trim() || state.live) return;
  const target = currentTarget();
  if (!target) {
    showError(new Error('There is no agent to send to: the server lists none.'));
    return;
  }
  localStorage.setItem(AGENT_STORAGE, ui.target.value);
  ui.message.value = '';
  autosize();
  state.stickToBottom = true;
  const run = newRun({ agentId: target.team ? null : target.id, sessionId: state.sessionId });
  if (target.team) run.teamId = target.id;
  const turn = addTurn(text, run);
  const live = makeLive(run, turn, text, target);
  await follow(live, (l) => l.start(state.sessionId, text));
  if (run.status === 'paused' && !live.detached) review(run, turn);
}

/** Asks the person about a paused run, then continues it in place. */
async function review(run, turn) {
  if (state.reviewing || state.live || run.status !== 'paused') return;
  state.reviewing = true;
  let decisions;
  try {
    decisions = await askDecisions(run.requirements);
  } finally {
    state.reviewing = false;
  }
  if (!decisions || run.status !== 'paused' || state.live) return;
  const live = makeLive(run, turn, null, currentTarget());
  await follow(live, (l) => l.continueWith(decisions));
  if (run.status === 'paused' && !live.detached) review(run, turn);
}

function stop() {
  if (!state.live) return;
  ui.stop.disabled = true;
  setText(ui.stop, 'Stopping…');
  state.live.stop();
}

function detachLive() {
  if (state.live) {
    state.live.detach();
    state.live = null;
    setBusy(false);
  }
}

// ---- layout and keyboard -----------------------------------------------------------------------

function autosize() {
  ui.message.style.height = '';
  ui.message.style.height = `${Math.min(ui.message.scrollHeight + 2, 220)}px`;
}

function openSidebar() {
  ui.app.classList.add('sidebar-open');
  ui.toggle.setAttribute('aria-expanded', 'true');
  ui.scrim.hidden = false;
  ui.sidebar.querySelector('button')?.focus();
}

function closeSidebar() {
  ui.app.classList.remove('sidebar-open');
  ui.toggle.setAttribute('aria-expanded', 'false');
  ui.scrim.hidden = true;
}

function wire() {
  ui.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });
  ui.message.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && state.live) {
      e.preventDefault();
      stop();
    }
  });
  ui.message.addEventListener('input', autosize);
  ui.stop.addEventListener('click', stop);
  ui.newChat.addEventListener('click', () => {
    closeSidebar();
    newChat();
  });
  ui.toggle.addEventListener('click', () => (ui.app.classList.contains('sidebar-open') ? closeSidebar() : openSidebar()));
  ui.scrim.addEventListener('click', closeSidebar);
  ui.sidebar.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && ui.app.classList.contains('sidebar-open')) {
      closeSidebar();
      ui.toggle.focus();
    }
  });
  ui.target.addEventListener('change', () => {
    localStorage.setItem(AGENT_STORAGE, ui.target.value);
    updateModelNote();
    if (!state.sessionId) showWelcome();
  });
  ui.forgetKey.addEventListener('click', () => {
    apiKey.clear();
    updateKeyButton();
  });
  ui.transcript.addEventListener('scroll', () => {
    const t = ui.transcript;
    state.stickToBottom = t.scrollHeight - t.scrollTop - t.clientHeight < 80;
  });
  new MutationObserver(() => {
    if (state.stickToBottom) ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }).observe(ui.transcript, { childList: true, subtree: true, characterData: true });
  window.addEventListener('pagehide', () => state.live && state.live.saveNow());
  window.addEventListener('hashchange', () => {
    const id = sessionFromLocation();
    if (id && id !== state.sessionId) openSession(id);
  });
}

async function boot() {
  wire();
  updateKeyButton();
  setBusy(false);
  try {
    await loadTargets();
  } catch (e) {
    showError(e);
  }
  await refreshSessions();
  const snapshot = snapshots.load();
  const fromLocation = sessionFromLocation();
  if (snapshot) await openSession(snapshot.sessionId, { snapshot });
  else if (fromLocation) await openSession(fromLocation);
  else newChat();
  ui.app.dataset.ready = 'true';
}

boot();
