// The floor `kick listen` is measured against: a bare node:http server that verifies Kick's signature with
// crypto.verify and prints one JSON line per event. Nothing else: no dedupe, no replay window, no queue.
import { createPublicKey, verify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const publicKey = createPublicKey(readFileSync(process.argv[2], 'utf8'))
const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    const id = req.headers['kick-event-message-id']
    const timestamp = req.headers['kick-event-message-timestamp']
    const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body])
    const ok = verify(
      'sha256',
      signed,
      publicKey,
      Buffer.from(req.headers['kick-event-signature'] ?? '', 'base64'),
    )
    if (!ok) {
      res.writeHead(401).end()
      return
    }
    process.stdout.write(JSON.stringify({ id, payload: JSON.parse(body.toString('utf8')) }) + '\n')
    res.writeHead(200).end()
  })
})
server.listen(0, '127.0.0.1', () =>
  process.stderr.write(`listening on http://127.0.0.1:${server.address().port}/\n`),
)
process.on('SIGTERM', () => server.close(() => process.exit(0)))
