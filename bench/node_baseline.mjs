// bench/node_baseline.mjs - the Node.js baseline for the token-checked API benchmark.
//
// A small node:http server doing what a typical Node service in front of a chat
// backend does for POST /api/startChatContact: take the Bearer token, verify
// it with node:crypto on every request (ES256 or RS256, key picked by kid from
// the same JWKS file c2c-edge reads, the same iss/aud/exp/nbf checks), read and
// parse the JSON body, resume the caller's chat (an in-memory Map by sub, so the
// baseline does less state work than c2c-edge, which reads SQLite) and answer
// the same JSON shape. It deliberately has no token cache: verifying on every
// request is what jsonwebtoken/jose middleware does by default, and that is the
// baseline the benchmark compares against (docs/benchmarks.md says so).
//
//   node bench/node_baseline.mjs --port P --jwks FILE --issuer ISS --audience AUD
//
// One process, one event loop (no cluster), like one c2c-edge process.
import { createPublicKey, createHmac, randomBytes, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const port = Number(args.port || 8081);
const issuer = args.issuer;
const audience = args.audience;
const leeway = 60;

const keys = new Map();
for (const jwk of JSON.parse(readFileSync(args.jwks, 'utf8')).keys) {
  if (jwk.kty === 'EC' || jwk.kty === 'RSA') keys.set(jwk.kid, { alg: jwk.alg, key: createPublicKey({ key: jwk, format: 'jwk' }) });
}

const secret = randomBytes(32);
const chats = new Map(); // sub -> {ContactId, ParticipantId, ParticipantToken}

class AuthError extends Error {}

function verifyJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new AuthError('malformed token');
  const header = JSON.parse(Buffer.from(parts[0], 'base64url'));
  const k = keys.get(header.kid);
  if (!k || header.alg !== k.alg) throw new AuthError('unknown key or alg');
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  const sig = Buffer.from(parts[2], 'base64url');
  const ok = header.alg === 'ES256'
    ? verify('sha256', input, { key: k.key, dsaEncoding: 'ieee-p1363' }, sig)
    : verify('sha256', input, k.key, sig);
  if (!ok) throw new AuthError('bad signature');
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || now >= claims.exp + leeway) throw new AuthError('expired');
  if (typeof claims.nbf === 'number' && now + leeway < claims.nbf) throw new AuthError('not yet valid');
  if (issuer && claims.iss !== issuer) throw new AuthError('wrong issuer');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud ?? claims.client_id];
  if (audience && !aud.includes(audience)) throw new AuthError('wrong audience');
  if (typeof claims.sub !== 'string' || !claims.sub) throw new AuthError('no sub');
  return claims;
}

const hex = () => randomBytes(16).toString('hex');

function startChat(claims, body) {
  let chat = chats.get(claims.sub);
  const resumed = Boolean(chat);
  if (!chat) {
    const participantId = hex();
    const mac = createHmac('sha256', secret).update(participantId).digest('base64url');
    chat = { ContactId: hex(), ParticipantId: participantId, ParticipantToken: `${participantId}.${mac}`,
             DisplayName: body?.ParticipantDetails?.DisplayName || claims.name || 'Customer' };
    chats.set(claims.sub, chat);
  }
  const { ContactId, ParticipantId, ParticipantToken } = chat;
  return { data: { startChatResult: { ContactId, ParticipantId, ParticipantToken }, resumed } };
}

function send(res, status, obj) {
  const text = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store',
                          'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/startChatContact') return send(res, 404, { error: 'not_found' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let claims;
    try {
      const auth = req.headers.authorization || '';
      claims = verifyJwt(auth.startsWith('Bearer ') ? auth.slice(7) : auth);
    } catch (e) {
      return send(res, 401, { error: 'invalid_token', message: String(e.message) });
    }
    let body;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks)) : {};
    } catch {
      return send(res, 400, { error: 'bad_json', message: 'The request body is not a JSON object.' });
    }
    send(res, 200, startChat(claims, body));
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`node baseline listening on http://127.0.0.1:${port}/`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
