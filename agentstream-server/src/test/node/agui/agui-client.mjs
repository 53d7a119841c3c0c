// Drives @ag-ui/client's HttpAgent (the transport CopilotKit uses) against a running agentstream,
// for AgUiClientTest. Reads a plan as JSON on stdin:
//   {"url": "...", "threadId": "...", "headers": {...}, "runs": [
//      {"message": "story 5"},                  // adds a user message, then runAgent()
//      {"resume": {"accepted": true}},          // runAgent() answering every pending interrupt with this payload
//      {"message": "story 500", "abortAfter": 2} // abortRun() after that many TEXT_MESSAGE_CONTENT events
//   ]}
// and prints one JSON object: per run the events the client applied, its outcome and what it left
// pending; the agent's messages at the end; and every console warning or error the client wrote
// (it warns about fields it strips and events it drops).
import { HttpAgent } from "@ag-ui/client";
import { randomUUID } from "node:crypto";

const logged = [];
for (const level of ["warn", "error"]) {
  console[level] = (...args) => logged.push(`${level}: ${args.map(a => (a instanceof Error ? a.message : typeof a === "string" ? a : JSON.stringify(a))).join(" ")}`);
}

const plan = JSON.parse(await new Promise(resolve => {
  let text = "";
  process.stdin.on("data", chunk => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

const agent = new HttpAgent({ url: plan.url, threadId: plan.threadId, headers: plan.headers ?? {} });
const runs = [];
for (const step of plan.runs) {
  const run = { events: [], rejected: null };
  let contents = 0;
  const parameters = {};
  if (step.message !== undefined) {
    agent.addMessage({ id: randomUUID(), role: "user", content: step.message });
  }
  if (step.resume !== undefined) {
    parameters.resume = agent.pendingInterrupts.map(i => ({ interruptId: i.id, status: "resolved", payload: step.resume }));
  }
  const subscriber = {
    onEvent: ({ event }) => {
      run.events.push(event);
      if (event.type === "TEXT_MESSAGE_CONTENT" && step.abortAfter !== undefined && ++contents === step.abortAfter) {
        agent.abortRun();
      }
    },
    onRunFinishedEvent: ({ outcome }) => { run.outcome = outcome; },
    onRunErrorEvent: ({ event }) => { run.runError = event; },
  };
  try {
    const result = await agent.runAgent(parameters, subscriber);
    run.newMessages = result.newMessages;
  } catch (error) {
    run.rejected = error instanceof Error ? error.message : String(error);
  }
  run.pendingInterrupts = agent.pendingInterrupts;
  run.isRunning = agent.isRunning;
  runs.push(run);
}
process.stdout.write(JSON.stringify({ runs, messages: agent.messages, logged }));
