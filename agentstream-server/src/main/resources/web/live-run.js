// Follows one run over SSE: start, continue after a pause, or resume after a reload or a lost
// connection with Last-Event-ID, so the answer goes on with nothing missing or doubled. While a
// run streams, its state is kept in sessionStorage, which outlives a reload of the tab.

import { ApiError } from './api.js';
import { applyEvent, isTerminal, statusFromApi } from './run-model.js';

const SNAPSHOT_KEY = 'agentstream.live';
const SAVE_DELAY_MS = 200;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 5000];
const FINAL = new Set(['completed', 'cancelled', 'interrupted', 'error', 'paused']);

/** The run this tab was following when it was reloaded: `{ target, sessionId, userText, run }`. */
export const snapshots = {
  load() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(SNAPSHOT_KEY));
      return saved && saved.v === 1 && saved.run && saved.run.runId && saved.sessionId ? saved : null;
    } catch {
      return null;
    }
  },
  save(snapshot) {
    try {
      sessionStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ v: 1, ...snapshot }));
    } catch {
      // Storage full or disabled: a reload then replays the run from its start instead.
    }
  },
  clear() {
    sessionStorage.removeItem(SNAPSHOT_KEY);
  },
};

const path = (...parts) => parts.map(encodeURIComponent).join('/');

export class LiveRun {
  /**
   * @param run the run-model state to apply events to (shared with the view)
   * @param view the RunView that shows it
   * @param target `{ id, team }`: the agent or team the run belongs to (both run at /v1/agents/{id})
   * @param hooks `onStarted(event)`, `onConnection(text)`, `onError(error)`
   */
  constructor({ api, run, view, target, userText, hooks }) {
    this.api = api;
    this.run = run;
    this.view = view;
    this.target = target;
    this.userText = userText;
    this.hooks = hooks;
    this.controller = new AbortController();
    this.detached = false;
    this.stopRequested = false;
    this.failedToStart = false;
    this.saveTimer = 0;
    this.wake = null;
  }

  /** Starts a run (a new session when `sessionId` is null); resolves when its first segment ended. */
  start(sessionId, message) {
    const body = { message, stream: true, on_disconnect: 'continue' };
    if (sessionId) body.session_id = sessionId;
    return this.follow((onEvent) => this.api.stream('POST', `v1/agents/${path(this.target.id)}/runs`,
      { body, signal: this.controller.signal, onEvent }));
  }

  /** Continues a paused run with the person's decisions; resolves when the new segment ended. */
  continueWith(decisions) {
    return this.follow((onEvent) => this.api.stream('POST', `v1/runs/${path(this.run.runId)}/continue`,
      { body: { tools: decisions, stream: true, on_disconnect: 'continue' }, signal: this.controller.signal, onEvent }));
  }

  /** Picks up a run already going (after a reload): the events after the last one this page has. */
  resume() {
    return this.follow(null);
  }

  /** Asks the server to cancel the run; the stream then ends with RunCancelled and the partial answer. */
  stop() {
    this.stopRequested = true;
    if (this.run.runId) this.sendCancel();
  }

  /** Stops following (the person opened another chat); the run goes on on the server. */
  detach() {
    this.detached = true;
    this.controller.abort();
    clearTimeout(this.saveTimer);
    if (this.wake) this.wake();
    snapshots.clear();
  }

  /** Writes the state now (the page is being unloaded). */
  saveNow() {
    if (this.detached || !this.run.runId || FINAL.has(this.run.status)) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = 0;
    snapshots.save({ target: this.target, sessionId: this.run.sessionId, userText: this.userText, run: this.run });
  }

  sendCancel() {
    this.api.json('POST', `v1/runs/${path(this.run.runId)}/cancel`).catch((e) => this.hooks.onError(e));
  }

  resumeRequest() {
    this.view.el.dataset.resumedAfter = String(this.run.lastSeq);
    return (onEvent) => this.api.stream('GET', `v1/runs/${path(this.run.runId)}/events`,
      { headers: { 'Last-Event-ID': String(this.run.lastSeq) }, signal: this.controller.signal, onEvent });
  }

  async follow(open) {
    let request = open || this.resumeRequest();
    let failures = 0;
    try {
      while (!this.detached) {
        let ended = false;
        let received = 0;
        try {
          await request((frame) => {
            received++;
            if (this.onFrame(frame)) ended = true;
          });
        } catch (e) {
          if (this.detached) return;
          if (e instanceof ApiError) {
            this.fail(e);
            return;
          }
          // The connection broke: reconnect below.
        }
        if (ended) return;
        if (!this.run.runId) {
          this.fail(new Error('The connection was lost before the run started; it may still be running: open the chat again to see it.'));
          return;
        }
        if (received === 0 && (await this.endedMeanwhile())) return;
        failures = received > 0 ? 1 : failures + 1;
        this.hooks.onConnection('Connection lost, reconnecting…');
        await this.pause(BACKOFF_MS[Math.min(failures - 1, BACKOFF_MS.length - 1)]);
        request = this.resumeRequest();
      }
    } finally {
      this.hooks.onConnection('');
      this.view.update();
      if (!this.detached) {
        if (FINAL.has(this.run.status) || this.failedToStart) snapshots.clear();
        else this.saveNow();
      }
    }
  }

  /** Applies one SSE frame; true when it ended the segment. */
  onFrame(frame) {
    let event;
    try {
      event = JSON.parse(frame.data);
    } catch {
      return false;
    }
    if (!event.event) event.event = frame.event;
    const known = Boolean(this.run.runId);
    if (!applyEvent(this.run, event)) return false;
    if (!known && this.run.runId) {
      this.hooks.onStarted(event);
      if (this.stopRequested) this.sendCancel();
    }
    this.view.update();
    this.scheduleSave();
    return isTerminal(event);
  }

  scheduleSave() {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  /** A resumed stream that brought nothing: asks the run's state, and finishes if it ended. */
  async endedMeanwhile() {
    try {
      const view = await this.api.json('GET', `v1/runs/${path(this.run.runId)}`);
      const status = statusFromApi(view.status);
      if (!FINAL.has(status)) return false;
      this.run.status = status;
      if (typeof view.content === 'string') this.run.content = view.content;
      this.run.error = view.error || this.run.error;
      this.run.cancelReason = view.cancel_reason || this.run.cancelReason;
      this.run.requirements = view.requirements || [];
      return true;
    } catch (e) {
      if (e instanceof ApiError) {
        this.fail(e);
        return true;
      }
      return false;
    }
  }

  fail(error) {
    this.failedToStart = !this.run.runId;
    if (!FINAL.has(this.run.status)) {
      this.run.status = 'error';
      this.run.error = error.message;
    }
    this.hooks.onError(error);
  }

  /** Waits `ms`, or less if the browser says it is back online. */
  pause(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        window.removeEventListener('online', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      window.addEventListener('online', done);
      this.wake = done;
    });
  }
}
