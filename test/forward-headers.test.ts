import test from 'ava';
import { downstreamHeaders, upstreamHeaders } from '../runner/forward-headers.ts';

const CLIENT = {
  host: '127.0.0.1:8000',
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIDCLIENT/20260101/us-west-2/bedrock/aws4_request, SignedHeaders=host, Signature=00',
  'x-amz-date': '20260101T000000Z',
  'x-amz-content-sha256': 'abc',
  'x-amz-security-token': 'client-token',
  'content-type': 'application/json',
  'content-length': '12',
  connection: 'keep-alive, x-private-hop',
  'x-private-hop': '1',
  'keep-alive': 'timeout=5',
  'amz-sdk-invocation-id': 'id-1',
  ':authority': '127.0.0.1:8000',
};

test('forward headers › the client credentials, hop-by-hop and recomputed headers never go upstream', (t) => {
  t.deepEqual(upstreamHeaders(CLIENT), { 'content-type': 'application/json', 'amz-sdk-invocation-id': 'id-1' });
});

test('forward headers › the flaws keep exactly what they claim to leak', (t) => {
  t.is(upstreamHeaders(CLIENT, ['leak-client-headers'])['x-amz-security-token'], 'client-token');
  t.false('authorization' in upstreamHeaders(CLIENT, ['leak-client-headers']));
  const noResign = upstreamHeaders(CLIENT, ['no-resign']);
  for (const name of ['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']) t.truthy(noResign[name], name);
});

test('forward headers › the response keeps wire casing and order, drops hop-by-hop and Connection-listed headers', (t) => {
  const raw = [
    'Content-Type', 'application/vnd.amazon.eventstream', 'Transfer-Encoding', 'chunked', 'x-amzn-RequestId', 'r-1',
    'Connection', 'keep-alive, X-Hop', 'X-Hop', 'a', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Content-Length', '9',
  ];
  t.deepEqual(downstreamHeaders(raw), [
    ['Content-Type', ['application/vnd.amazon.eventstream']], ['x-amzn-RequestId', ['r-1']], ['Set-Cookie', ['a=1', 'b=2']], ['Content-Length', ['9']],
  ]);
  t.false(downstreamHeaders(raw, { dropContentLength: true }).some(([name]) => name === 'Content-Length'));
});
