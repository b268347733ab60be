import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { describe, expect, it } from 'vitest'

import { BIN, ROOT, baseEnv } from '../helpers/run-kick.js'

/**
 * The README's shell blocks marked ```sh offline, run as printed by bash with the real binary as `kick` on
 * PATH, in a fresh directory and home: they need no account and no network, so they must simply work. The
 * one liberty taken: the fixed port 3000 a block listens on becomes a free one, so parallel runs on one
 * machine do not collide.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const blocks = [...README.matchAll(/^```sh offline\n([^]*?)^```$/gm)].map((match) => match[1]!)

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Runs a script in bash (-e: the first failing command fails the block); ends whatever it left running. */
function runBlock(script: string): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kick-readme-'))
  const bin = join(dir, '.bin')
  mkdirSync(bin)
  symlinkSync(BIN, join(bin, 'kick'))
  writeFileSync(join(dir, 'block.sh'), script)
  const env = baseEnv({ KICK_API_URL: undefined, KICK_AUTH_URL: undefined, BROWSER: undefined })
  env.PATH = [bin, process.env.PATH].join(delimiter)
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', 'block.sh'], { cwd: dir, env, detached: true, stdio: 'pipe' })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL')
      reject(new Error(`the block did not finish within 90 s:\n${output}`))
    }, 90_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // nothing left of the group
      }
      resolve({ code, output })
    })
  })
}

describe('the README', () => {
  it('marks its offline recipes, the CI one among them', () => {
    expect(blocks.length).toBeGreaterThan(0)
    expect(blocks.some((block) => block.includes('kick mock start') && block.includes('kick listen'))).toBe(
      true,
    )
  })

  it.each(blocks.map((block) => [block.split('\n')[0]!, block]))(
    'runs as printed: %s',
    async (_, block) => {
      const port = await freePort()
      const { code, output } = await runBlock(block.replaceAll(/(?<=[: ])3000\b/g, String(port)))
      expect(code, output).toBe(0)
    },
    100_000,
  )
})
