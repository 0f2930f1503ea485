// A standard tus client (tus-js-client, from npm) uploads evidence to the server's tus endpoint
// through a proxy that cuts the connection part-way, as a phone losing signal does; the client
// resumes from where the server says it stands, and the stored evidence is byte-identical.

import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, connect } from 'node:net';
import { after, before, test } from 'node:test';
import * as tus from 'tus-js-client';

import { INSPECTOR, PASSWORD, api, startServerOnly } from './support.mjs';

const MIB = 1024 * 1024;
let server;
let token;
let inspectionId;

before(async () => {
  server = await startServerOnly();
  ({ access_token: token } = await api(server.baseUrl, 'POST', '/auth/login', {
    body: { email: INSPECTOR.email, password: PASSWORD },
  }));
  const inspections = await api(server.baseUrl, 'GET', '/inspections', { token });
  inspectionId = inspections.find((i) => i.decision_number === '125/QĐ-TTr').id;
});

after(async () => {
  await server?.stop();
});

/**
 * A TCP proxy to the server that, once `cutAfter` bytes have gone upstream, destroys every
 * connection open at that moment (once), as a lost signal does.
 */
async function cuttingProxy(target, cutAfter) {
  const { hostname, port } = new URL(target);
  const sockets = new Set();
  const stats = { upstreamBytes: 0, cuts: 0 };
  const proxy = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    const forget = () => { sockets.delete(client); sockets.delete(upstream); };
    client.on('data', (chunk) => {
      stats.upstreamBytes += chunk.length;
      upstream.write(chunk);
      if (stats.cuts === 0 && stats.upstreamBytes >= cutAfter) {
        stats.cuts += 1;
        for (const socket of sockets) socket.destroy();
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => {});
      socket.on('close', () => { client.destroy(); upstream.destroy(); forget(); });
    }
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    stats,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); proxy.close(resolve); }),
  };
}

/** Uploads `bytes` with tus-js-client; resolves with what the client saw. */
function tusUpload(endpoint, bytes, metadata) {
  const patchOffsets = [];
  let heads = 0;
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(bytes, {
      endpoint: `${endpoint}/api/v1/uploads`,
      headers: { Authorization: `Bearer ${token}` },
      metadata,
      // Retry at once, then back off: the standard client's own resume logic.
      retryDelays: [0, 200, 1000, 3000],
      onBeforeRequest(request) {
        if (request.getMethod() === 'PATCH') patchOffsets.push(Number(request.getHeader('Upload-Offset')));
        if (request.getMethod() === 'HEAD') heads += 1;
      },
      onSuccess: (payload) => resolve({ upload, patchOffsets, heads, lastResponse: payload.lastResponse }),
      onError: reject,
    });
    upload.start();
  });
}

function metadataFor(evidenceId, bytes) {
  return {
    evidence_id: evidenceId,
    inspection_id: inspectionId,
    item_key: 'osh.machine_guards',
    kind: 'document',
    captured_at: '2026-11-23T08:15:00Z',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    filename: 'bien-ban.pdf',
  };
}

test('tus-js-client resumes an upload after the connection is cut', async () => {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(12 * MIB)]);
  const evidenceId = randomUUID();
  // Cut once 7 MiB have gone out: past the first 5 MiB part, in the middle of the next.
  const proxy = await cuttingProxy(server.baseUrl, 7 * MIB);
  try {
    const seen = await tusUpload(proxy.url, bytes, metadataFor(evidenceId, bytes));

    assert.equal(proxy.stats.cuts, 1, 'the proxy cut the connection');
    assert.ok(seen.heads >= 1, 'the client asked where the upload stood');
    assert.equal(seen.patchOffsets[0], 0);
    const resumedAt = seen.patchOffsets.at(-1);
    assert.ok(resumedAt > 5 * MIB && resumedAt < bytes.length,
      `the client resumed from the bytes the server kept, not from 0 (PATCH offsets: ${seen.patchOffsets})`);
    assert.equal(seen.lastResponse.getHeader('Kiemtra-Evidence-Id'), evidenceId);

    const record = await api(server.baseUrl, 'GET', `/evidence/${evidenceId}`, { token });
    assert.equal(record.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(record.size_bytes, bytes.length);
    const original = await fetch(`${server.baseUrl}/api/v1/evidence/${evidenceId}/content`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(original.status, 200);
    assert.ok(Buffer.from(await original.arrayBuffer()).equals(bytes), 'the stored file is byte-identical');
  } finally {
    await proxy.close();
  }
});

test('tus-js-client uploads in chunks and the server checks the whole file', async () => {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(6 * MIB)]);
  const evidenceId = randomUUID();

  const seen = await new Promise((resolve, reject) => {
    const offsets = [];
    new tus.Upload(bytes, {
      endpoint: `${server.baseUrl}/api/v1/uploads`,
      headers: { Authorization: `Bearer ${token}` },
      metadata: metadataFor(evidenceId, bytes),
      chunkSize: 5 * MIB,
      onBeforeRequest(request) {
        if (request.getMethod() === 'PATCH') offsets.push(Number(request.getHeader('Upload-Offset')));
      },
      onSuccess: () => resolve(offsets),
      onError: reject,
    }).start();
  });

  assert.deepEqual(seen, [0, 5 * MIB]);
  const record = await api(server.baseUrl, 'GET', `/evidence/${evidenceId}`, { token });
  assert.equal(record.sha256, createHash('sha256').update(bytes).digest('hex'));
});

test('a file that does not match its sha256 fails in tus-js-client with the server\'s reason', async () => {
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(MIB)]);
  const metadata = { ...metadataFor(randomUUID(), bytes), sha256: createHash('sha256').update('other').digest('hex') };

  const error = await tusUpload(server.baseUrl, bytes, metadata).then(
    () => assert.fail('the upload should have been refused'),
    (e) => e,
  );

  assert.equal(error.originalResponse.getStatus(), 422);
  assert.match(error.originalResponse.getBody(), /digest_mismatch/);
});
