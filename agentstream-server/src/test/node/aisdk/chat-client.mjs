// Drives the AI SDK's own chat client (AbstractChat + DefaultChatTransport from the `ai` package,
// what useChat runs) against a running agentstream, and prints one JSON object with what the
// client ended up with and every HTTP exchange it made. Started by AiSdkClientTest:
//
//   node chat-client.mjs '{"scenario":"stream","base":"http://127.0.0.1:1234","agent":"assistant","chatId":"c1","text":"story 5"}'
import {
  AbstractChat,
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  lastAssistantMessageIsCompleteWithToolCalls,
} from 'ai';

const args = JSON.parse(process.argv[2]);
const api = `${args.base}/v1/ai-sdk/agents/${args.agent}/chat`;
const headers = args.key ? { Authorization: `Bearer ${args.key}` } : {};
const exchanges = [];

/** fetch that keeps a copy of each response: status, the headers a UI stream has, the body text so far. */
async function recordingFetch(url, init) {
  const exchange = { method: init?.method ?? 'GET', url: String(url), status: 0, headers: {}, body: '' };
  exchanges.push(exchange);
  const response = await fetch(url, init);
  exchange.status = response.status;
  for (const name of ['content-type', 'cache-control', 'x-vercel-ai-ui-message-stream', 'x-accel-buffering']) {
    exchange.headers[name] = response.headers.get(name);
  }
  if (!response.body) {
    return response;
  }
  const [forClient, forRecord] = response.body.tee();
  (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of forRecord) {
        exchange.body += decoder.decode(chunk, { stream: true });
      }
    } catch {
      exchange.aborted = true;
    }
  })();
  return new Response(forClient, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The chat state useChat keeps in React, kept in memory. */
class MemoryState {
  constructor(messages = []) {
    this.status = 'ready';
    this.error = undefined;
    this.messages = messages;
  }
  pushMessage = message => { this.messages = this.messages.concat(message); };
  popMessage = () => { this.messages = this.messages.slice(0, -1); };
  replaceMessage = (index, message) => {
    this.messages = [...this.messages.slice(0, index), this.snapshot(message), ...this.messages.slice(index + 1)];
  };
  snapshot = thing => structuredClone(thing);
}

class Chat extends AbstractChat {
  constructor({ messages, ...init }) {
    super({ ...init, state: new MemoryState(messages) });
  }
}

const finishes = [];
const errors = [];

function chat(options = {}) {
  return new Chat({
    id: args.chatId,
    transport: new DefaultChatTransport({ api, headers, fetch: recordingFetch }),
    onFinish: ({ finishReason, isAbort, isError }) => finishes.push({ finishReason: finishReason ?? null, isAbort, isError }),
    onError: error => errors.push(error.message),
    ...options,
  });
}

async function until(what, predicate, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

const textOf = message => message.parts.filter(p => p.type === 'text').map(p => p.text).join('');
const assistant = c => c.messages.filter(m => m.role === 'assistant').at(-1);
const toolParts = message => (message?.parts ?? []).filter(p => p.type.startsWith('tool-'));

function summary(c) {
  return {
    status: c.status,
    error: c.error?.message ?? null,
    messages: c.messages.map(m => ({ id: m.id, role: m.role, metadata: m.metadata ?? null, text: textOf(m),
      partTypes: m.parts.map(p => p.type), tools: toolParts(m).map(p => ({ type: p.type, state: p.state,
        toolCallId: p.toolCallId, input: p.input ?? null, output: p.output ?? null, errorText: p.errorText ?? null })) })),
  };
}

const scenarios = {
  // One message, streamed to the end.
  async stream() {
    const c = chat();
    await c.sendMessage({ text: args.text });
    return summary(c);
  },

  // The server's answer is stopped through the stop route while the client reads it.
  async stop() {
    const c = chat();
    const sending = c.sendMessage({ text: args.text });
    await until('some text', () => textOf(assistant(c) ?? { parts: [] }).length > 0);
    const stop = await fetch(`${api}/${args.chatId}/stop`, { method: 'POST', headers });
    await sending;
    return { ...summary(c), stopStatus: stop.status, stopBody: await stop.json() };
  },

  // A client that goes away mid-answer (a closed tab), then a reloaded page that resumes with the
  // messages it had stored, plus a second reader resuming at the same time.
  async resume() {
    const first = chat();
    const sending = first.sendMessage({ text: args.text });
    await until('a few words', () => textOf(assistant(first) ?? { parts: [] }).split(' ').length > args.wordsBeforeLeaving);
    await first.stop();
    await sending;
    const seenBeforeLeaving = textOf(assistant(first));
    const reloaded = chat({ messages: structuredClone(first.messages) });
    const second = chat({ messages: structuredClone(first.messages) });
    await Promise.all([reloaded.resumeStream(), second.resumeStream()]);
    return { seenBeforeLeaving, reloaded: summary(reloaded), second: summary(second) };
  },

  // Nothing to resume: the client stays ready and unchanged.
  async resumeNothing() {
    const c = chat();
    await c.resumeStream();
    return summary(c);
  },

  // A tool that needs confirmation: approve or deny it, and the same message goes on.
  async approval() {
    const c = chat({ sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses });
    await c.sendMessage({ text: args.text });
    const paused = summary(c);
    const part = toolParts(assistant(c)).find(p => p.state === 'approval-requested');
    await c.addToolApprovalResponse({ id: part.approval.id, approved: args.approve, reason: args.reason });
    await until('the continued answer', () => c.status === 'ready' && finishes.length >= 2);
    return { paused, done: summary(c) };
  },

  // A tool the client runs itself (external execution): its output continues the same message.
  async clientTool() {
    const c = chat({
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
      onToolCall: ({ toolCall }) => {
        c.addToolOutput({ tool: toolCall.toolName, toolCallId: toolCall.toolCallId, output: args.output });
      },
    });
    await c.sendMessage({ text: args.text });
    await until('the continued answer', () => c.status === 'ready' && finishes.length >= 2);
    return summary(c);
  },
};

try {
  const result = await scenarios[args.scenario]();
  console.log(JSON.stringify({ ok: true, result, finishes, errors, exchanges }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, failure: String(error?.stack ?? error), finishes, errors, exchanges }));
}
process.exit(0);
