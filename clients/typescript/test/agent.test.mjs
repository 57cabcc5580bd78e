// A LangChain agent loop over `client.actions.langchain.getTools(...)`, driven by a scripted chat
// model (a FakeChatModel from @langchain/core/utils/testing): two tools called through
// executeTool, then a REVOKED account thrown to the app as the typed error with its reconnect
// link. Run by scripts/test-clients.sh against a real `toolwire serve` and the simulator.
import assert from "node:assert/strict";
import { test } from "node:test";

import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { FakeChatModel } from "@langchain/core/utils/testing";

import {
  AccountNotActiveError,
  ErrorCode,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  ToolwireClient,
  UnauthorizedError,
} from "../dist/index.js";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`run through scripts/test-clients.sh (missing ${name})`);
  return v;
};
const url = env("TOOLWIRE_URL");
const apiKey = env("TOOLWIRE_API_KEY");
const client = new ToolwireClient(url, apiKey);

/** Stands in for an LLM: answers with the scripted messages, in order. */
class ScriptedChatModel extends FakeChatModel {
  constructor(script) {
    super({});
    this.script = script;
  }
  bindTools() {
    return this;
  }
  async _generate() {
    const message = this.script.shift();
    assert.ok(message, "the model was asked more often than scripted");
    return { generations: [{ text: "", message }] };
  }
}

const call = (name, args, n) =>
  new AIMessage({ content: "", tool_calls: [{ name, args, id: `call_${n}`, type: "tool_call" }] });

/** The tool-calling loop: ask the model, run the tools it calls, until it answers. */
async function runAgent(model, tools, question) {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const messages = [new HumanMessage(question)];
  for (;;) {
    const reply = await model.invoke(messages);
    messages.push(reply);
    if (!reply.tool_calls?.length) return messages;
    for (const c of reply.tool_calls) {
      messages.push(await byName.get(c.name).invoke({ ...c, type: "tool_call" }));
    }
  }
}

/** Every `id` of every object in a JSON value. */
function findIds(value, out = new Set()) {
  if (Array.isArray(value)) value.forEach((v) => findIds(v, out));
  else if (value && typeof value === "object") {
    if (Number.isInteger(value.id)) out.add(value.id);
    Object.values(value).forEach((v) => findIds(v, out));
  }
  return out;
}

test("an agent calls two tools through executeTool", async () => {
  const identifier = env("TOOLWIRE_IDENTIFIER");
  const tools = await client.actions.langchain.getTools({ identifier, connectionName: "zendesk" });
  const listed = new Map((await client.listTools("zendesk")).map((t) => [t.name, t]));
  const get = tools.find((t) => t.name === "zendesk_ticket_get");
  assert.ok(get && tools.some((t) => t.name === "zendesk_search_tickets"));
  // The LangChain schema is the tool's own JSON Schema.
  assert.deepEqual(get.schema, listed.get("zendesk_ticket_get").inputSchema);

  const model = new ScriptedChatModel([
    call("zendesk_search_tickets", { query: "status:open" }, 1),
    call("zendesk_ticket_get", { ticket_id: 1 }, 2),
    new AIMessage("Ticket 1 is open."),
  ]);
  const messages = await runAgent(model, tools, "What is ticket 1 about?");
  const results = messages.filter((m) => ToolMessage.isInstance(m));
  assert.deepEqual(results.map((r) => r.tool_call_id), ["call_1", "call_2"]);
  const [search, ticket] = results;
  assert.ok(findIds(JSON.parse(search.content)).size > 0, search.content);
  assert.ok(findIds(JSON.parse(ticket.content)).has(1), ticket.content);
  // The artifact is executeTool's whole answer; the same call made directly agrees.
  assert.ok(ticket.artifact.execution_id);
  const direct = await client.executeTool({ toolName: "zendesk_ticket_get", identifier, toolInput: { ticket_id: 1 } });
  assert.deepEqual(JSON.parse(ticket.content), direct.data);
  // `full: true` is the whole vendor output, larger than the projection the model gets.
  const whole = await client.executeTool({ toolName: "zendesk_ticket_get", identifier, toolInput: { ticket_id: 1 }, full: true });
  assert.ok(findIds(whole.data).has(1) && JSON.stringify(whole.data).length > ticket.content.length);
  assert.equal(messages.at(-1).content, "Ticket 1 is open.");
});

test("a REVOKED account reaches the app as a typed error", async () => {
  const identifier = env("TOOLWIRE_REVOKED_IDENTIFIER");
  const tools = await client.getTools("zendesk", identifier);
  const model = new ScriptedChatModel([call("zendesk_search_tickets", { query: "status:open" }, 1)]);
  const err = await runAgent(model, tools, "Any open tickets?").then(
    () => assert.fail("the revoked account was used"),
    (e) => e,
  );
  assert.ok(err instanceof AccountNotActiveError, String(err));
  assert.equal(err.code, ErrorCode.ACCOUNT_REVOKED);
  assert.equal(err.status, 409);
  assert.ok(err.reconnectUrl?.startsWith(`${url}/connect/`), err.reconnectUrl);
  // The app's answer: the account is REVOKED, and a fresh link lets the user fix it.
  const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName: "zendesk", identifier });
  assert.equal(connectedAccount.status, "REVOKED");
  const { link } = await client.actions.getAuthorizationLink({ connectionName: "zendesk", identifier });
  assert.ok(link.startsWith(`${url}/connect/`), link);
});

test("errors are typed", async () => {
  const identifier = env("TOOLWIRE_IDENTIFIER");
  const bad = await client
    .executeTool({ toolName: "zendesk_ticket_get", identifier, toolInput: { ticket_id: "one" } })
    .catch((e) => e);
  assert.ok(bad instanceof InvalidInputError, String(bad));
  assert.equal(bad.code, "INVALID_INPUT");
  assert.match(JSON.stringify(bad.details), /ticket_id/);
  const unknown = await client.executeTool({ toolName: "zendesk_no_such_tool", identifier }).catch((e) => e);
  assert.ok(unknown instanceof NotFoundError && unknown.code === "UNKNOWN_TOOL", String(unknown));
  const wrongKey = "not-the-key-" + "x".repeat(20);
  const denied = await new ToolwireClient(url, wrongKey).listTools().catch((e) => e);
  assert.ok(denied instanceof UnauthorizedError && denied.status === 401, String(denied));
  assert.throws(() => new ToolwireClient(url, ""), /apiKey is required/);
  // The key never shows in the client's string form or in the error.
  assert.ok(!String(client).includes(apiKey) && !String(denied).includes(wrongKey));
});

test("a rate limit carries retryAfterS", async () => {
  const identifier = env("TOOLWIRE_LIMITED_IDENTIFIER");
  const err = await client
    .executeTool({ toolName: "zendesk_ticket_get", identifier, toolInput: { ticket_id: 1 } })
    .catch((e) => e);
  assert.ok(err instanceof RateLimitedError, String(err));
  assert.equal(err.code, ErrorCode.RATE_LIMITED);
  assert.equal(err.status, 429);
  assert.ok(err.retryAfterS > 0 && err.retryAfterS <= 300, String(err.retryAfterS));
  // In an agent, the model is told to wait; the account stays ACTIVE.
  const tools = await client.getTools("zendesk", identifier);
  const model = new ScriptedChatModel([call("zendesk_ticket_get", { ticket_id: 1 }, 1), new AIMessage("Busy; later.")]);
  const result = (await runAgent(model, tools, "Ticket 1?"))[2];
  assert.ok(ToolMessage.isInstance(result));
  assert.match(result.content, /^RATE_LIMITED: /);
  assert.ok(result.artifact instanceof RateLimitedError && result.artifact.retryAfterS > 0);
  assert.equal((await client.getConnectedAccount("zendesk", identifier)).status, "ACTIVE");
});
