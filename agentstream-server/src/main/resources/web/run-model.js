// The state of one run as the page shows it, built from the run's events (live) or from the
// stored messages (history). Plain data, so it can be kept in sessionStorage across a reload.
// Pure functions: no DOM here.

/** Events that end a stream segment when they are the run's own (not a team member's). */
const TERMINAL = new Set(['RunCompleted', 'RunCancelled', 'RunError', 'RunPaused']);

/** Cancel reasons that mean "went away", not "a person pressed Stop" (stored as INTERRUPTED). */
const INTERRUPT_REASONS = new Set(['client_disconnected', 'shutdown', 'lease_expired']);

export function newRun({ runId = null, sessionId = null, agentId = null, teamId = null } = {}) {
  return {
    runId,
    sessionId,
    agentId,
    teamId,
    status: 'pending',
    lastSeq: 0,
    gaps: 0,
    duplicates: 0,
    content: '',
    contentReplaced: false,
    reasoning: '',
    reasoningFromDeltas: false,
    reasoningActive: false,
    tools: [],
    members: [],
    requirements: [],
    error: null,
    cancelReason: null,
  };
}

/** The event's name without the `Team` prefix a team's own events carry. */
export function eventKind(name) {
  return name && name.startsWith('Team') ? name.slice(4) : name;
}

/** True when the event ends the stream segment: the run's own completed, cancelled, error or paused. */
export function isTerminal(event) {
  return !event.parent_run_id && TERMINAL.has(eventKind(event.event));
}

/**
 * Applies one event (the parsed `data` of an SSE frame). Events carry the stream's `seq`: one
 * already seen is dropped and counted in `duplicates`, one that skips numbers is counted in `gaps`.
 * Returns false for a dropped duplicate.
 */
export function applyEvent(run, event) {
  if (typeof event.seq === 'number') {
    if (event.seq <= run.lastSeq) {
      run.duplicates++;
      return false;
    }
    if (event.seq !== run.lastSeq + 1) run.gaps++;
    run.lastSeq = event.seq;
  }
  const target = event.parent_run_id ? member(run, event) : run;
  reduce(target, eventKind(event.event), event);
  return true;
}

function member(run, event) {
  const key = event.agent_id || event.team_id || event.run_id;
  let found = run.members.find((m) => m.agentId === key);
  if (!found) {
    found = newRun({ runId: event.run_id, sessionId: event.session_id, agentId: key });
    run.members.push(found);
  } else if (found.runId !== event.run_id && eventKind(event.event) === 'RunStarted') {
    // The same member asked again in this team run: its answers follow each other in one box.
    found.runId = event.run_id;
    if (found.content) found.content += '\n\n';
  }
  return found;
}

function reduce(run, kind, e) {
  switch (kind) {
    case 'RunStarted':
      run.runId = run.runId || e.run_id;
      run.sessionId = e.session_id || run.sessionId;
      run.agentId = e.agent_id || run.agentId;
      run.teamId = e.team_id || run.teamId;
      run.status = 'running';
      break;
    case 'RunContent':
      if (typeof e.content === 'string') run.content += e.content;
      else if (e.content != null) run.content += JSON.stringify(e.content);
      break;
    case 'ReasoningStarted':
      run.reasoningActive = true;
      break;
    case 'ReasoningContentDelta':
      run.reasoning += e.reasoning_content || '';
      run.reasoningFromDeltas = true;
      run.reasoningActive = true;
      break;
    case 'ReasoningStep':
      if (!run.reasoningFromDeltas && e.reasoning_content) {
        run.reasoning += (run.reasoning ? '\n\n' : '') + e.reasoning_content;
      }
      break;
    case 'ReasoningCompleted':
      run.reasoningActive = false;
      if (e.reasoning_content) run.reasoning = e.reasoning_content;
      break;
    case 'ToolCallStarted':
      upsertTool(run, e.tool, 'running');
      break;
    case 'ToolCallCompleted':
      upsertTool(run, e.tool, e.tool && e.tool.confirmed === false ? 'rejected' : 'done');
      break;
    case 'ToolCallError':
      upsertTool(run, e.tool, 'error', e.error);
      break;
    case 'RunPaused':
      run.status = 'paused';
      run.reasoningActive = false;
      run.requirements = e.requirements || [];
      for (const tool of e.tools || []) upsertTool(run, tool, 'waiting');
      for (const r of run.requirements) if (r.tool) upsertTool(run, r.tool, 'waiting');
      break;
    case 'RunContinued':
      run.status = 'running';
      run.requirements = [];
      break;
    case 'RunCancelled':
      run.status = INTERRUPT_REASONS.has(e.reason) ? 'interrupted' : 'cancelled';
      run.cancelReason = e.reason || null;
      finalContent(run, e.content);
      endTools(run);
      break;
    case 'RunError':
      run.status = 'error';
      run.error = e.content || 'the run failed';
      finalContent(run, e.partial_content);
      endTools(run);
      break;
    case 'RunCompleted':
      run.status = 'completed';
      finalContent(run, e.content);
      if (e.reasoning_content && !run.reasoning) run.reasoning = e.reasoning_content;
      break;
    default:
      // RunContentCompleted and kinds this page does not know yet change nothing it shows.
      break;
  }
  if (kind !== 'RunStarted' && run.status === 'pending') run.status = 'running';
}

/** The server's whole answer wins over what was streamed; `contentReplaced` records that they differed. */
function finalContent(run, content) {
  run.reasoningActive = false;
  if (typeof content === 'string' && content !== run.content) {
    run.contentReplaced = run.content.length > 0;
    run.content = content;
  }
}

/** Tools still shown as running when the run ended did not finish. */
function endTools(run) {
  for (const tool of run.tools) if (tool.state === 'running') tool.state = 'stopped';
}

function upsertTool(run, tool, state, error) {
  if (!tool) return;
  const id = tool.tool_call_id || `${tool.tool_name}-${run.tools.length}`;
  let card = run.tools.find((t) => t.id === id);
  if (!card) {
    card = { id, name: tool.tool_name, args: tool.tool_args ?? null, state, result: null, error: null };
    run.tools.push(card);
  }
  if (tool.tool_name) card.name = tool.tool_name;
  if (tool.tool_args != null) card.args = tool.tool_args;
  if (tool.result != null) card.result = tool.result;
  if (tool.confirmation_note) card.note = tool.confirmation_note;
  if (error || (tool.tool_call_error && tool.result)) card.error = error || tool.result;
  // A result already in hand is never taken back to "waiting" by a later pause listing the tool.
  if (!(state === 'waiting' && (card.state === 'done' || card.state === 'error'))) card.state = state;
}

/** Run status as the page names it, from the API's RunStatus. */
export function statusFromApi(status) {
  return String(status || 'completed').toLowerCase();
}

/**
 * A session's history as turns: `[{ userText, run }]`, one per top-level run, members nested.
 * `runs` is `GET /v1/sessions/{id}/runs` (gives status, seq and parents); `messages` its messages.
 */
export function turnsFromHistory(messages, runs) {
  const byRun = new Map(runs.map((r) => [r.run_id, r]));
  const states = new Map();
  const turns = [];
  const stateFor = (runId) => {
    if (states.has(runId)) return states.get(runId);
    const summary = byRun.get(runId) || {};
    const run = newRun({ runId, sessionId: summary.session_id, agentId: summary.agent_id });
    run.status = summary.status ? statusFromApi(summary.status) : 'completed';
    run.lastSeq = summary.last_seq || 0;
    run.error = summary.error || null;
    run.cancelReason = summary.cancel_reason || null;
    states.set(runId, run);
    const parentId = summary.parent_run_id;
    if (parentId) {
      const parent = stateFor(parentId);
      run.agentId = run.agentId || 'member';
      parent.members.push(run);
    } else {
      turns.push({ userText: null, run });
    }
    return run;
  };
  for (const m of messages) {
    const run = stateFor(m.run_id || '(no run)');
    const isMember = Boolean((byRun.get(m.run_id) || {}).parent_run_id);
    if (m.role === 'user') {
      if (!isMember) turns.find((t) => t.run === run).userText = m.content || '';
    } else if (m.role === 'assistant') {
      if (m.content) run.content += (run.content ? '\n\n' : '') + m.content;
      if (m.reasoning_content) run.reasoning += (run.reasoning ? '\n\n' : '') + m.reasoning_content;
      if (m.error) run.error = m.error;
      if (m.interrupted && run.status === 'completed') run.status = 'interrupted';
    } else if (m.role === 'tool') {
      run.tools.push({
        id: m.tool_call_id || `${m.tool_name}-${run.tools.length}`,
        name: m.tool_name,
        args: m.tool_args ?? null,
        state: m.error ? 'error' : m.content != null ? 'done' : run.status === 'paused' ? 'waiting' : 'stopped',
        result: m.content ?? null,
        error: m.error || null,
      });
    }
  }
  return turns;
}
