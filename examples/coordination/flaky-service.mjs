// A service that is down (503) for its first 8 seconds, then up: run it, then the plan, and watch the breaker
// open, fail steps fast, let one probe through after its cool-down and close (`plan breakers`).
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8788);
let firstCall = null;
createServer((req, res) => {
  firstCall ??= Date.now();
  const down = Date.now() - firstCall < 8_000;
  console.log(`${new Date().toISOString()} ${req.method} ${req.url} -> ${down ? 503 : 200}`);
  res.writeHead(down ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ down }));
}).listen(port, '127.0.0.1', () => console.log(`flaky service on http://127.0.0.1:${port}`));
