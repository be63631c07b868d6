/** Every malformed request gets its 4xx in the contract's envelope, and the API keeps serving. */
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { Message } from '@talk/shared/schemas';
import { expectBody } from '@talk/shared/testing/rest-client';
import { createCustomer, createGroupTalk, expectError, ErrorBody, type TestAgent } from '../../../test/support/fixtures';
import { startStack, type Stack } from '../../../test/support/stack';

describe('bad input', () => {
  let stack: Stack;
  let agent: TestAgent;
  let talkId: string;

  beforeAll(async () => {
    stack = await startStack('bad_input');
    const acme = await createCustomer(stack.api(), ['Agent A', 'Agent B']);
    const [a, b] = acme.agents;
    agent = a;
    talkId = (await createGroupTalk(stack.api(), a, [b])).id;
  });
  afterAll(() => stack.stop());

  const media = { type: 'application/pdf', url: 'https://example.com/a.pdf', name: 'a.pdf' };

  const messageBodies: [string, unknown, string][] = [
    ['no text and no medias', {}, 'text'],
    ['blank text', { text: '   ' }, 'text'],
    ['text of the wrong type', { text: 42 }, 'text'],
    ['text over 16,000 characters', { text: 'x'.repeat(16_001) }, 'text'],
    ['eleven medias', { medias: Array.from({ length: 11 }, () => media) }, 'medias'],
    ['a media with an ftp url', { medias: [{ ...media, url: 'ftp://example.com/a.pdf' }] }, 'medias'],
    ['a media without a MIME type', { medias: [{ ...media, type: 'pdf' }] }, 'medias'],
    ['a media with an empty name', { medias: [{ ...media, name: '' }] }, 'medias'],
    ['a media url over 2,048 characters', { medias: [{ ...media, url: `https://e.com/${'a'.repeat(2_048)}` }] }, 'medias'],
    // 1,000 spaces are 3,000 characters once percent-encoded.
    ['a media url over 2,048 characters once normalised', { medias: [{ ...media, url: `https://e.com/${' '.repeat(1_000)}.pdf` }] }, 'medias'],
    ['a javascript: url', { medias: [{ ...media, url: 'javascript:alert(1)' }] }, 'medias'],
    ['a parent_id that is not a UUID', { text: 'x', parent_id: 'parent-message-id' }, 'parent_id'],
    ['an empty client_message_id', { text: 'x', client_message_id: '' }, 'client_message_id'],
    ['a client_message_id over 64 characters', { text: 'x', client_message_id: 'c'.repeat(65) }, 'client_message_id'],
    ['a JSON array', [], 'body'],
  ];

  it.each(messageBodies)('POST messages with %s is 400 naming the field', async (_what, body, field) => {
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, body });
    expectError(response, 400, 'INVALID_ARGUMENT');
    expect(JSON.stringify(response.body)).toContain(field);
  });

  it('stores a media URL as the URL standard serialises it, so no quote or angle bracket reaches a client raw', async () => {
    const url = 'HTTPS://Files.Example.COM:443/a/./b/../report "Q1" <final>.pdf?who=\'x\'&a=<b>#"top"';
    const sent = expectBody(
      await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, body: { medias: [{ ...media, url }] } }),
      201,
      Message,
    );
    const normalised = 'https://files.example.com/a/report%20%22Q1%22%20%3Cfinal%3E.pdf?who=%27x%27&a=%3Cb%3E#%22top%22';
    expect(sent.medias[0]?.url).toBe(normalised);
    const events = await stack.api().request('GET', `/v1.0/talks/${talkId}/events?after_seq=${sent.seq - 1}`, { token: agent.token });
    expect(JSON.stringify(events.body)).toContain(normalised);
    expect(JSON.stringify(events.body)).not.toMatch(/<final>|"Q1"/);
  });

  it.each([
    ['bad JSON', 'POST', '/messages', '{"text": '],
    ['a bare string', 'POST', '/messages', '"hello"'],
  ])('%s is 400', async (_what, method, suffix, rawBody) => {
    expectError(await stack.api().request(method, `/v1.0/talks/${talkId}${suffix}`, { token: agent.token, rawBody }), 400, 'INVALID_ARGUMENT');
  });

  it.each([
    ['a path parameter with a malformed percent-escape', 'GET', '/v1.0/talks/%ZZ'],
    ['a malformed percent-escape in a nested path parameter', 'DELETE', '/v1.0/talks/TALK/participants/%E0%A4%A'],
    ['a malformed percent-escape in an agent id, with an admin key', 'DELETE', '/v1.0/agents/%ZZ'],
  ])('%s is 400 in the envelope, never 500', async (_what, method, path) => {
    const response = await stack.api().request(method, path.replace('TALK', talkId), { token: agent.token, headers: { 'x-admin-key': 'x' } });
    expectError(response, 400, 'INVALID_ARGUMENT');
  });

  it('a body that is not valid UTF-8 is 400, and writes nothing', async () => {
    const before = await stack.api().request('GET', `/v1.0/talks/${talkId}/messages`, { token: agent.token });
    const invalid = Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, rawBody: invalid });
    expectError(response, 400, 'INVALID_ARGUMENT');
    expect(JSON.stringify(response.body)).toContain('UTF-8');
    expect((await stack.api().request('GET', `/v1.0/talks/${talkId}/messages`, { token: agent.token })).body).toEqual(before.body);
  });

  it('a body with a key twice in one object is 400 naming it, and writes nothing', async () => {
    const before = await stack.api().request('GET', `/v1.0/talks/${talkId}/messages`, { token: agent.token });
    const rawBody = '{"text": "pay the invoice", "medias": [{"type": "application/pdf", "url": "https://e.com/a.pdf", "url": "https://e.com/b.pdf", "name": "a.pdf"}]}';
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, rawBody });
    expectError(response, 400, 'INVALID_ARGUMENT');
    expect(JSON.stringify(response.body)).toContain('medias[0].url');
    const escaped = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, rawBody: '{"text":"a","\\u0074ext":"b"}' });
    expectError(escaped, 400, 'INVALID_ARGUMENT');
    expect((await stack.api().request('GET', `/v1.0/talks/${talkId}/messages`, { token: agent.token })).body).toEqual(before.body);
  });

  it.each([
    ['gzip that is not gzip', { 'content-encoding': 'gzip' }, 'not gzip'],
    ['truncated brotli', { 'content-encoding': 'br' }, 'xx'],
    ['deflate that is not deflate', { 'content-encoding': 'deflate' }, 'not deflate'],
    ['an encoding nobody knows', { 'content-encoding': 'rot13' }, '{"text":"x"}'],
    ['a charset other than UTF-8', { 'content-type': 'application/json; charset=latin1' }, '{"text":"x"}'],
  ])('a body in %s is 400 in the envelope, never 500', async (_what, headers, rawBody) => {
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, headers, rawBody });
    expectError(response, 400, 'INVALID_ARGUMENT');
  });

  it('a gzip body that inflates past 64 KiB is 413, however small it is compressed', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 32));
    const headers = { 'content-encoding': 'gzip' };
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, headers, rawBody: bomb });
    expectError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['gzip on bytes that are not gzip', 'gzip', JSON.stringify({ text: 'plain' })],
    ['gzip on no bytes at all', 'gzip', ''],
    ['deflate cut short', 'deflate', deflateSync(JSON.stringify({ text: 'cut' })).subarray(0, 6)],
  ])('a body that does not match its Content-Encoding (%s) is 400, never 500, and writes nothing', async (_what, encoding, rawBody) => {
    const before = await stack.api().request('GET', `/v1.0/talks/${talkId}/messages`, { token: agent.token });
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, rawBody, headers: { 'content-encoding': encoding } });
    expectError(response, 400, 'INVALID_ARGUMENT');
    expect((await stack.api().request('GET', `/v1.0/talks/${talkId}/messages`, { token: agent.token })).body).toEqual(before.body);
  });

  it('a gzip body that does decompress is read', async () => {
    const rawBody = gzipSync(JSON.stringify({ text: 'compressed' }));
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, rawBody, headers: { 'content-encoding': 'gzip' } });
    expect(expectBody(response, 201, Message).text).toBe('compressed');
  });

  it.each([
    ['a header line over 16 KiB', `GET /v1.0/talks HTTP/1.1\r\nHost: talk\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['a request line that is not HTTP', 'GET /v1.0/talks NOT-HTTP\r\n\r\n'],
    ['a header line without a colon', 'GET /v1.0/talks HTTP/1.1\r\nHost talk\r\n\r\n'],
  ])('%s is 400 in the envelope, not the HTTP parser\'s bare answer', async (_what, raw) => {
    const url = new URL(stack.api().baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body: unknown = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(ErrorBody.parse(body).error).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' });
  });

  it('a body over 64 KiB is 413', async () => {
    const response = await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, {
      token: agent.token,
      rawBody: JSON.stringify({ text: 'x'.repeat(70_000) }),
    });
    expectError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['a talk id that is not a UUID', 'GET', '/v1.0/talks/not-a-uuid', 400, 'INVALID_ARGUMENT'],
    ['a participant id that is not a UUID', 'DELETE', `/v1.0/talks/TALK/participants/42`, 400, 'INVALID_ARGUMENT'],
    ['a page_size of 0', 'GET', '/v1.0/talks/TALK/messages?page_size=0', 400, 'INVALID_ARGUMENT'],
    ['a page_size of 101', 'GET', '/v1.0/talks?page_size=101', 400, 'INVALID_ARGUMENT'],
    ['a page_size that is not a number', 'GET', '/v1.0/talks?page_size=ten', 400, 'INVALID_ARGUMENT'],
    ['a forged page_token', 'GET', '/v1.0/talks/TALK/messages?page_token=forged', 400, 'INVALID_ARGUMENT'],
    ['a negative after_seq', 'GET', '/v1.0/talks/TALK/messages?after_seq=-1', 400, 'INVALID_ARGUMENT'],
    ['an unknown status filter', 'GET', '/v1.0/talks?status=archived', 400, 'INVALID_ARGUMENT'],
    ['an unknown talk', 'GET', '/v1.0/talks/0b8e8c1a-3f0e-4f43-8c8e-6b0a7b9d6f21', 404, 'NOT_FOUND'],
    ['an unknown route', 'GET', '/v1.0/nothing-here', 404, 'NOT_FOUND'],
    ['a talk type that does not exist', 'POST', '/v1.0/talks', 400, 'INVALID_ARGUMENT'],
  ])('%s is %i', async (_what, method, path, status, code) => {
    const body = method === 'POST' ? { type: 'channel', participant_ids: [] } : undefined;
    const response = await stack.api().request(method, path.replace('TALK', talkId), { token: agent.token, body });
    expectError(response, status, code);
  });

  it('a direct talk needs exactly one other agent', async () => {
    const response = await stack.api().request('POST', '/v1.0/talks', { token: agent.token, body: { type: 'direct', participant_ids: [] } });
    expectError(response, 400, 'INVALID_ARGUMENT');
  });

  it('echoes the request id it was given, and keeps serving after all of the above', async () => {
    const response = await stack.api().request('GET', '/v1.0/talks/not-a-uuid', { token: agent.token, headers: { 'x-request-id': 'trace-123' } });
    expect(expectBody(response, 400, ErrorBody).error.request_id).toBe('trace-123');
    expectBody(await stack.api().request('POST', `/v1.0/talks/${talkId}/messages`, { token: agent.token, body: { text: 'still up' } }), 201, Message);
  });
});
