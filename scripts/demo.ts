/**
 * `npm run demo`: a demo customer for the console, made through the public API as any client
 * would: three agents (alice, bob, carol), a few talks with messages, a thread, reactions and a
 * mention, and a closed talk. Prints how to sign in. Against `npm run stack` by default:
 *
 *   TALK_URL=http://127.0.0.1:8080 TALK_ADMIN_KEY=dev-admin-key npm run demo
 */
import { randomBytes } from 'node:crypto';
import { createAccountsApi } from '@talk/client/accounts-api';
import { createTalkApi, type TalkApi } from '@talk/client/talk-api';
import type { Agent } from '@talk/shared/schemas';

const baseUrl = process.env['TALK_URL'] ?? 'http://127.0.0.1:8080';
const adminKey = process.env['TALK_ADMIN_KEY'] ?? 'dev-admin-key';
const say = (line: string): void => void process.stdout.write(`${line}\n`);

interface DemoAgent {
  readonly agent: Agent;
  readonly api: TalkApi;
}

async function main(): Promise<void> {
  const accounts = createAccountsApi({ baseUrl });
  const password = `demo-${randomBytes(6).toString('hex')}`;
  const customer = await accounts.createCustomer(adminKey, 'Demo Contact Centre');
  const people: Record<'alice' | 'bob' | 'carol', DemoAgent> = {
    alice: await agent('alice', 'Alice Martin'),
    bob: await agent('bob', 'Bob Okafor'),
    carol: await agent('carol', 'Carol Nguyen'),
  };
  async function agent(username: string, name: string): Promise<DemoAgent> {
    const created = await accounts.createAgent(customer.accesskey, { username, password, name });
    const login = await accounts.login({ customer_id: customer.id, username, password });
    return { agent: created, api: createTalkApi({ baseUrl, token: login.token }) };
  }
  const { alice, bob, carol } = people;

  const project = await alice.api.createTalk({ type: 'group', name: 'Q1 Project', participant_ids: [bob.agent.id, carol.agent.id] });
  const kickoff = await alice.api.sendMessage(project.id, { text: 'Sprint 1 completed! Thanks everyone 🎉' });
  await bob.api.sendMessage(project.id, { text: 'Great work. The new routing rules cut the queue time by a third.' });
  await carol.api.sendMessage(project.id, {
    text: 'Here is the report for the review:',
    medias: [{ type: 'application/pdf', url: 'https://example.com/reports/sprint-1.pdf', name: 'sprint-1-report.pdf' }],
  });
  await bob.api.sendMessage(project.id, { text: 'Alice, can you take the retro on Friday?', mention_ids: [alice.agent.id] });
  await bob.api.sendMessage(project.id, { text: 'Which numbers go to the customer?', parent_id: kickoff.id });
  await carol.api.sendMessage(project.id, { text: 'Queue time and first-contact resolution, I would say.', parent_id: kickoff.id });
  await alice.api.sendMessage(project.id, { text: 'Agreed, I will add both to the summary.', parent_id: kickoff.id });
  await bob.api.addReaction(kickoff.id, '🎉');
  await carol.api.addReaction(kickoff.id, '🎉');
  await carol.api.addReaction(kickoff.id, '👍');

  const direct = await bob.api.createTalk({ type: 'direct', participant_ids: [alice.agent.id] });
  const question = await bob.api.sendMessage(direct.id, { text: 'Got a minute for the Henderson ticket?' });
  await alice.api.sendMessage(direct.id, { text: 'Sure, call me after lunch.' });
  await bob.api.addReaction(question.id, '🙏');

  const escalations = await carol.api.createTalk({ type: 'group', name: 'Escalations', participant_ids: [alice.agent.id, bob.agent.id] });
  await carol.api.sendMessage(escalations.id, { text: 'Priority customer waiting on a refund, ticket #4821.' });
  await carol.api.sendMessage(escalations.id, { text: 'Alice, you handled the last one: any tips?', mention_ids: [alice.agent.id] });

  const old = await alice.api.createTalk({ type: 'group', name: 'Holiday campaign 2025', participant_ids: [carol.agent.id] });
  await carol.api.sendMessage(old.id, { text: 'Campaign wrapped, closing this one.' });
  await carol.api.closeTalk(old.id);

  say('');
  say('Demo customer ready. Open the console and sign in:');
  say('');
  say(`  console      ${baseUrl}/`);
  say(`  customer id  ${customer.id}`);
  say(`  usernames    alice, bob, carol`);
  say(`  password     ${password}   (the same for all three)`);
  say('');
  say('Agent ids (to add someone to a talk, or start a direct talk):');
  for (const [username, { agent: a }] of Object.entries(people)) say(`  ${username.padEnd(6)} ${a.id}  ${a.name}`);
  say('');
  say(`Customer accesskey (shown once; for GET /v1.0/agents and new agents): ${customer.accesskey}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.stderr.write(`Is Talk running at ${baseUrl} (npm run stack), with TALK_ADMIN_KEY matching its admin key?\n`);
  process.exitCode = 1;
});
