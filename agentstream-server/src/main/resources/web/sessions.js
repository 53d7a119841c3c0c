// The side list of chats, newest first.

import { h } from './dom.js';

const TIME = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** Replaces the list's items. `onOpen(session)` and `onDelete(session)` handle the buttons. */
export function renderSessions(list, sessions, currentId, { onOpen, onDelete }) {
  const sorted = [...sessions].sort((a, b) => (b.updated_at ?? b.created_at ?? 0) - (a.updated_at ?? a.created_at ?? 0));
  list.replaceChildren(...sorted.map((s) => item(s, s.session_id === currentId, onOpen, onDelete)));
}

function item(session, current, onOpen, onDelete) {
  const title = session.title || 'New chat';
  return h('li', { class: current ? 'session current' : 'session', dataset: { sessionId: session.session_id } },
    h('button', { type: 'button', class: 'session-open', 'aria-current': current ? 'page' : null,
      on: { click: () => onOpen(session) } },
      h('span', { class: 'session-title', text: title }),
      h('span', { class: 'session-meta' },
        session.active_run_id ? h('span', { class: 'live-dot', title: 'A run is going', 'aria-label': 'running' }) : null,
        [session.agent_id || session.team_id, ago(session.updated_at ?? session.created_at)].filter(Boolean).join(' · '))),
    h('button', { type: 'button', class: 'session-delete', title: 'Delete chat', 'aria-label': `Delete chat “${title}”`,
      text: '✕', on: { click: () => onDelete(session) } }));
}

function ago(epochSeconds) {
  if (!epochSeconds) return '';
  const seconds = epochSeconds - Date.now() / 1000;
  const abs = Math.abs(seconds);
  if (abs < 60) return TIME.format(Math.round(seconds), 'second');
  if (abs < 3600) return TIME.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return TIME.format(Math.round(seconds / 3600), 'hour');
  return TIME.format(Math.round(seconds / 86400), 'day');
}
