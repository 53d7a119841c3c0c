// The DOM of a turn: the person's message, then the run's answer (reasoning, tool cards, team
// members' answers, the Markdown answer and how it ended). Renders from a run-model state;
// `update()` may be called per event, the DOM is touched at most once per frame.

import { h, setText } from './dom.js';
import { GrowingMarkdown } from './markdown.js';

const STATUS_LABELS = {
  pending: 'Waiting…',
  running: 'Answering…',
  paused: 'Waiting for you',
  completed: '',
  cancelled: 'Stopped',
  interrupted: 'Interrupted',
  error: 'Error',
};

const TOOL_LABELS = {
  running: 'Running…',
  done: 'Done',
  error: 'Error',
  waiting: 'Waiting for you',
  rejected: 'Rejected',
  stopped: 'Did not finish',
};

/** One exchange: the person's message and the answer. */
export class TurnView {
  /** @param onReview called when the person asks to see a paused run's requests again */
  constructor({ userText, run, onReview }) {
    this.user = h('div', { class: 'msg user' }, h('div', { class: 'bubble', text: userText ?? '' }));
    this.user.hidden = userText == null;
    this.answer = new RunView(run, { onReview });
    this.el = h('article', { class: 'turn' }, this.user, this.answer.el);
  }

  setUserText(text) {
    setText(this.user.firstChild, text);
    this.user.hidden = text == null;
  }
}

/** The answer of one run (a team member's answers are RunViews nested inside it). */
export class RunView {
  constructor(run, { onReview = null, nested = false } = {}) {
    this.run = run;
    this.onReview = onReview;
    this.tools = new Map();
    this.members = new Map();
    this.renderedContent = null;
    this.frame = 0;
    this.who = h('span', { class: 'who' });
    this.badge = h('span', { class: 'badge' });
    this.reasoningLabel = h('span', { text: 'Reasoning' });
    this.reasoningText = h('div', { class: 'reasoning-text' });
    // Open while the model thinks, folded away once it answers, unless the person chose otherwise.
    this.reasoningChosen = false;
    this.reasoning = h('details', { class: 'reasoning', hidden: true },
      h('summary', { on: { click: () => { this.reasoningChosen = true; } } }, this.reasoningLabel), this.reasoningText);
    this.toolList = h('div', { class: 'tools' });
    this.memberList = h('div', { class: 'members' });
    this.content = h('div', { class: 'content markdown' });
    this.markdown = new GrowingMarkdown(this.content);
    this.note = h('div', { class: 'run-note', hidden: true });
    this.reviewButton = h('button', { type: 'button', class: 'review', hidden: true, text: 'Review request',
      on: { click: () => this.onReview && this.onReview(this.run) } });
    this.el = h('div', { class: nested ? 'msg assistant member' : 'msg assistant' },
      h('div', { class: 'msg-head' }, this.who, this.badge),
      this.reasoning, this.toolList, this.memberList, this.content, this.note, this.reviewButton);
    this.render();
  }

  /** Shows `run` (the same object or a new one) at the next frame. */
  update(run = this.run) {
    this.run = run;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Renders now (used before the view is measured or screenshotted). */
  render() {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const run = this.run;
    const el = this.el;
    el.dataset.status = run.status;
    el.dataset.runId = run.runId || '';
    el.dataset.lastSeq = String(run.lastSeq);
    el.dataset.gaps = String(run.gaps);
    el.dataset.duplicates = String(run.duplicates);
    el.dataset.contentReplaced = String(run.contentReplaced);
    if (run.agentId) el.dataset.agentId = run.agentId;
    setText(this.who, run.teamId || run.agentId || 'assistant');
    setText(this.badge, STATUS_LABELS[run.status] ?? run.status);
    this.badge.hidden = !STATUS_LABELS[run.status];
    this.renderReasoning(run);
    this.renderTools(run);
    this.renderMembers(run);
    this.renderContent(run);
    this.renderNote(run);
    this.reviewButton.hidden = !(run.status === 'paused' && run.requirements.length > 0 && this.onReview);
  }

  renderReasoning(run) {
    this.reasoning.hidden = !run.reasoning && !run.reasoningActive;
    this.reasoning.classList.toggle('active', run.reasoningActive);
    if (!this.reasoningChosen) this.reasoning.open = run.reasoningActive;
    setText(this.reasoningLabel, run.reasoningActive ? 'Reasoning…' : 'Reasoning');
    setText(this.reasoningText, run.reasoning);
  }

  renderTools(run) {
    for (const tool of run.tools) {
      let card = this.tools.get(tool.id);
      if (!card) {
        card = toolCard(tool);
        this.tools.set(tool.id, card);
        this.toolList.append(card.el);
      }
      card.update(tool);
    }
  }

  renderMembers(run) {
    for (const member of run.members) {
      let view = this.members.get(member.agentId);
      if (!view) {
        view = new RunView(member, { nested: true });
        this.members.set(member.agentId, view);
        this.memberList.append(view.el);
      } else {
        view.run = member;
        view.render();
      }
    }
  }

  renderContent(run) {
    const streaming = run.status === 'running' || run.status === 'pending';
    this.content.classList.toggle('streaming', streaming);
    if (this.renderedContent === run.content) return;
    this.renderedContent = run.content;
    this.markdown.show(run.content);
  }

  renderNote(run) {
    let text = '';
    if (run.status === 'cancelled') text = 'Stopped. The answer above is what had arrived.';
    else if (run.status === 'interrupted') text = `Interrupted (${(run.cancelReason || 'connection lost').replaceAll('_', ' ')}). The answer above is what had arrived.`;
    else if (run.status === 'error') text = run.error || 'The run failed.';
    else if (run.status === 'paused') text = 'The run waits for your decision.';
    this.note.hidden = !text;
    this.note.className = `run-note ${run.status}`;
    setText(this.note, text);
  }
}

function toolCard(tool) {
  const name = h('span', { class: 'tool-name' });
  const state = h('span', { class: 'tool-state' });
  const args = h('pre', { class: 'tool-args' });
  const result = h('pre', { class: 'tool-result' });
  const el = h('div', { class: 'tool-card' },
    h('div', { class: 'tool-head' }, h('span', { class: 'tool-icon', 'aria-hidden': 'true', text: '⚙' }), name, state),
    h('details', { class: 'tool-details', open: true },
      h('summary', { text: 'Arguments' }), args),
    result);
  return {
    el,
    update(t) {
      el.dataset.toolCallId = t.id;
      el.dataset.state = t.state;
      el.dataset.toolName = t.name || '';
      setText(name, t.name || 'tool');
      setText(state, TOOL_LABELS[t.state] ?? t.state);
      setText(args, formatArgs(t.args));
      const shown = t.error || t.result;
      result.hidden = shown == null || shown === '';
      result.classList.toggle('error', Boolean(t.error));
      setText(result, shown == null ? '' : String(shown));
    },
  };
}

function formatArgs(args) {
  if (args == null) return '{}';
  if (typeof args === 'string') return args;
  return JSON.stringify(args, null, 2);
}
