// Drives the toolwire Zendesk simulator with the real node-zendesk client.
// Usage: SIM_URL=http://127.0.0.1:PORT node run.mjs   (exits non-zero on failure)
import assert from "node:assert/strict";
import zendesk from "node-zendesk";

const { createClient } = zendesk;

const base = process.env.SIM_URL;
if (!base) {
  console.error("SIM_URL is not set");
  process.exit(2);
}

async function main() {
  // Credentials come from the sim's admin API; the host is 127.0.0.1 → default tenant (acme).
  const tenants = await (await fetch(`${base}/__sim/tenants`)).json();
  const acme = tenants.find((t) => t.subdomain === "acme");
  const admin = acme.agents.find((a) => a.role === "admin");
  const agent = acme.agents.find((a) => a.role === "agent");
  const client = createClient({ username: admin.email, token: admin.api_token, endpointUri: `${base}/api/v2` });

  const me = await client.users.auth();
  assert.equal(me.result.email, admin.email);
  assert.equal(me.result.role, "admin");

  const stamp = Date.now();
  const created = await client.users.create({ user: { name: "Node Person", email: `node-${stamp}@example.test` } });
  assert.equal(created.result.name, "Node Person");
  const shown = await client.users.show(created.result.id);
  assert.equal(shown.result.email, `node-${stamp}@example.test`);

  const users = await client.users.list();
  assert.ok(users.length >= 17, `users.list returned ${users.length}`);
  assert.ok(users.some((u) => u.id === created.result.id));

  const t = await client.tickets.create({
    ticket: {
      subject: `Node ticket ${stamp}`,
      comment: { body: "Created by node-zendesk", public: true },
      priority: "high",
      requester_id: created.result.id,
      assignee_id: agent.user_id,
      tags: ["node", "sim"],
    },
  });
  const id = t.result.id;
  assert.equal(t.result.status, "open");
  assert.deepEqual(t.result.tags, ["node", "sim"]);

  const got = await client.tickets.show(id);
  assert.equal(got.result.subject, `Node ticket ${stamp}`);

  const upd = await client.tickets.update(id, { ticket: { status: "pending", comment: { body: "internal", public: false } } });
  assert.equal(upd.result.status, "pending");
  const comments = await client.tickets.getComments(id);
  assert.equal(comments.length, 2);
  assert.equal(comments[1].public, false);

  const found = await client.search.query(`type:ticket subject:"Node ticket ${stamp}"`);
  // node-zendesk unwraps `results` into `result`.
  assert.equal(found.result.length, 1);
  assert.equal(found.result[0].id, id);
  assert.equal(found.result[0].result_type, "ticket");
  const urgent = await client.search.query("type:ticket status:open priority:urgent");
  assert.ok(urgent.result.length >= 3);
  assert.ok(urgent.result.every((x) => x.status === "open" && x.priority === "urgent"));
  const count = await client.search.showResultsCount("type:ticket status:open priority:urgent");
  assert.equal(count.result.count ?? count.result, urgent.result.length);

  const tickets = await client.tickets.list();
  assert.ok(tickets.length >= 51, `tickets.list returned ${tickets.length}`);
  assert.ok(tickets.some((x) => x.id === id));

  // Errors surface as exceptions.
  await assert.rejects(() => client.tickets.show(987654321));

  console.log(`node-zendesk against the sim: OK (ticket ${id})`);
}

main().catch((e) => {
  console.error("node-zendesk test FAILED:", e);
  process.exit(1);
});
