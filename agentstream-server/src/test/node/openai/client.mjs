// Drives agentstream's OpenAI-compatible endpoint with the real `openai` package and prints what
// the client saw as one JSON object; OpenAiNodeClientTest asserts on it.
// Env: AGENTSTREAM_BASE_URL (…/v1), AGENTSTREAM_API_KEY, AGENTSTREAM_MODEL.
import OpenAI from 'openai';

const baseURL = process.env.AGENTSTREAM_BASE_URL;
const model = process.env.AGENTSTREAM_MODEL;
const client = new OpenAI({ baseURL, apiKey: process.env.AGENTSTREAM_API_KEY, maxRetries: 0 });

async function streamed() {
  const { data: stream, response } = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'story 10' }],
    stream: true,
    stream_options: { include_usage: true },
  }).withResponse();
  const seen = { content: '', ids: new Set(), models: new Set(), created: new Set(), finishReason: null, usage: null,
    chunks: 0 };
  for await (const chunk of stream) {
    seen.chunks++;
    seen.ids.add(chunk.id);
    seen.models.add(chunk.model);
    seen.created.add(chunk.created);
    const choice = chunk.choices[0];
    if (choice) {
      seen.content += choice.delta?.content ?? '';
      seen.finishReason = choice.finish_reason ?? seen.finishReason;
    }
    if (chunk.usage) {
      seen.usage = chunk.usage;
    }
  }
  return { ...seen, ids: [...seen.ids], models: [...seen.models], created: [...seen.created],
    sessionId: response.headers.get('x-session-id') };
}

async function whole() {
  const { data, response } = await client.chat.completions.create({
    model,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'story 4' },
    ],
  }).withResponse();
  return { id: data.id, object: data.object, content: data.choices[0].message.content,
    finishReason: data.choices[0].finish_reason, usage: data.usage, sessionId: response.headers.get('x-session-id') };
}

async function abandoned() {
  const stream = await client.chat.completions.create({
    model, messages: [{ role: 'user', content: 'story 2000' }], stream: true,
  });
  let id = null;
  let content = '';
  for await (const chunk of stream) {
    id = chunk.id;
    content += chunk.choices[0]?.delta?.content ?? '';
    if (content.split(/\s+/).length > 5) {
      break; // leaving the loop aborts the request: the connection closes
    }
  }
  return { id, content };
}

async function failure(run) {
  try {
    await run();
    return { raised: null };
  } catch (e) {
    return { raised: e.constructor.name, isApiError: e instanceof OpenAI.APIError, status: e.status ?? null,
      type: e.type ?? null, code: e.code ?? null, message: e.message };
  }
}

const result = {
  models: (await client.models.list()).data.map((m) => m.id),
  streamed: await streamed(),
  whole: await whole(),
  abandoned: await abandoned(),
  unknownModel: await failure(() => client.chat.completions.create({ model: 'no-such-agent',
    messages: [{ role: 'user', content: 'hi' }] })),
  badKey: await failure(() => new OpenAI({ baseURL, apiKey: 'wrong-key', maxRetries: 0 }).chat.completions.create({
    model, messages: [{ role: 'user', content: 'hi' }] })),
  badRequest: await failure(() => client.chat.completions.create({ model, messages: [] })),
  failedStream: await failure(async () => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'fail' }],
      stream: true });
    for await (const chunk of stream) {
      // drain until the error chunk raises
    }
  }),
};
process.stdout.write(JSON.stringify(result));
