// The floor a real command is measured against (npm run bench): a bare Node script that makes the one GET
// `kick users get --json` makes, against the same loopback server, and prints its data as JSON. Nothing else:
// no flags, no config, no token store, no error handling. CommonJS, like bin/run.js, for the faster start.
const http = require('node:http')

const headers = { authorization: `Bearer ${process.env.KICK_ACCESS_TOKEN}`, accept: 'application/json' }
http.get(`${process.env.KICK_API_URL}/public/v1/users`, { headers }, (res) => {
  const chunks = []
  res.on('data', (chunk) => chunks.push(chunk))
  res.on('end', () => {
    const { data } = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
  })
})
