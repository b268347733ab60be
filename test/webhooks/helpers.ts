import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { type EventType, samplePayload } from '../../src/kick/events.js'
import { type SignedDelivery, signedDelivery } from '../../src/webhooks/trigger.js'
import { BIN, ROOT, baseEnv } from '../helpers/run-kick.js'

export interface TestKey {
  privateKey: KeyObject
  publicKey: KeyObject
  /** a PEM file of the public key, for --public-key-file */
  pemFile: string
}

/** A fresh RSA-2048 pair, its public half written to a temp file. */
export function freshKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pemFile = join(mkdtempSync(join(tmpdir(), 'kick-key-')), 'public.pem')
  writeFileSync(pemFile, publicKey.export({ type: 'spki', format: 'pem' }) as string)
  return { privateKey, publicKey, pemFile }
}

export type Delivery = SignedDelivery

/** A delivery signed like Kick's, with the six headers; by default a chat message sample, fresh id, now. */
export function delivery(
  privateKey: KeyObject,
  options: { type?: string; body?: string; id?: string; timestamp?: string } = {},
): Delivery {
  const type = options.type ?? 'chat.message.sent'
  const body = options.body ?? JSON.stringify(samplePayload(type as EventType))
  return signedDelivery(privateKey, { ...options, type, body })
}

export interface Answer {
  status: number
  body: string
}

/** One POST with node:http (keeps working when the server answers before reading the whole body). */
export function post(
  url: string,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.setTimeout(20_000, () => req.destroy(new Error('request timed out')))
    req.end(body)
  })
}

export const send = (url: string, d: Delivery): Promise<Answer> => post(url, d.headers, d.body)

/** A running `kick listen` (or any long-running kick command) spawned as a user runs it. */
export interface Running {
  child: ChildProcessWithoutNullStreams
  /** the local URL from the banner */
  url: string
  stdout(): string
  stderr(): string
  /** the JSON lines printed so far */
  events(): { id: string; type: string; [key: string]: unknown }[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Spawns `kick ARGS` and resolves once stderr shows the whole banner (`Listening on URL` … `Ctrl-C`); rejects when it exits first or the
 * banner does not come within the bound. `launcher`: a command that runs it (and execs it, keeping its pid),
 * e.g. `unshare` to give it a filesystem of its own.
 */
export function startKick(
  args: string[],
  env: Record<string, string | undefined> = {},
  bannerTimeoutMs = 20_000,
  launcher: string[] = [],
): Promise<Running> {
  const command = [...launcher, process.execPath, BIN, ...args]
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: baseEnv(env), stdio: 'pipe' })
  child.stdin.end()
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr.setEncoding('utf8')
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  )
  const running = {
    child,
    url: '',
    stdout: () => out,
    stderr: () => err,
    events: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; type: string }),
    exited,
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no banner within ${bannerTimeoutMs} ms:\n${err}`))
    }, bannerTimeoutMs)
    child.stderr.on('data', (chunk: string) => {
      err += chunk
      // the banner's last line says how it stops
      const match = /Listening on (\S+)[^]*\n(Ctrl-C to stop|Stopping after)/.exec(err)
      if (match && !running.url) {
        running.url = match[1]!
        clearTimeout(timer)
        resolve(running)
      }
    })
    void exited.then(({ code }) => {
      clearTimeout(timer)
      if (!running.url) reject(new Error(`kick ${args.join(' ')} exited ${code} before listening:\n${err}`))
    })
  })
}

/** Ends a spawned kick that a test left running (a failing test must not leave processes behind). */
export async function stopKick(running: Running | undefined): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return
  running.child.kill('SIGKILL')
  await running.exited
}

/** Waits until `check` holds, polling; fails after `timeoutMs` with `what`. */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Runs `jobs` with at most `concurrency` at once, in order of start. */
export async function pool<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++
      results[index] = await jobs[index]!()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return results
}
