// A receiver for step callbacks: prints each event and whether its signature holds.
//   PLAN_NOTIFY_SECRET=dev-secret node examples/callbacks/receiver.mjs     (listens on 127.0.0.1:8787, or PORT)
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.PLAN_NOTIFY_SECRET ?? 'dev-secret';
const port = Number(process.env.PORT ?? 8787);
const seen = new Set();

createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-plan-signature'] ?? ''));
    const signed = given.length === expected.length && timingSafeEqual(given, expected);
    if (!signed) return res.writeHead(401).end('bad signature');
    const event = JSON.parse(body);
    // Deliveries are retried under the same id: act on each id once.
    if (!seen.has(event.id)) {
      seen.add(event.id);
      console.log(`${event.at} ${event.type.padEnd(18)} ${event.planId}${event.stepId ? ` ${event.stepId}` : ''}`);
    }
    res.writeHead(204).end();
  });
}).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/plan-events`));
