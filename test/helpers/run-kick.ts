import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'run.js')

/**
 * Whether this checkout's kick can be run as another user (uid), from root: setpriv works here, and that user
 * may read bin/run.js (a checkout under a 0700 directory, as `mktemp -d` makes, is closed to everyone else).
 */
export function runnableAsUser(uid: number): boolean {
  if (process.getuid?.() !== 0) return false
  const probe = spawnSync('setpriv', [
    `--reuid=${uid}`,
    `--regid=${uid}`,
    '--clear-groups',
    'test',
    '-r',
    BIN,
  ])
  return probe.status === 0
}

export interface KickResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  /** written to stdin, then closed */
  input?: string
  timeoutMs?: number
  cwd?: string
  /**
   * Run on a pseudo-terminal through util-linux `script`, as a person at a terminal: text output, prompts
   * asked (`input` answers them). `stdout` is then the terminal's transcript (stdout and stderr mixed, LF
   * line ends) and `stderr` is empty.
   */
  terminal?: boolean
  /** an installed `kick` to run as is (its shebang picks the Node on PATH); default: this checkout's, on this Node */
  bin?: string
  /** with `terminal`: the pseudo-terminal's width (`stty cols`); otherwise the terminal reports none */
  columns?: number
}

/** A fresh HOME/XDG tree, so a test never reads or writes the developer's own config or keychain file. */
export function isolatedHome(): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'kick-test-'))
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
  }
}

/**
 * The environment a spawned `kick` sees: the machine's PATH and D-Bus session (so the keychain tests can
 * reach gnome-keyring), an isolated home, nothing of the developer's Kick settings.
 */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    ...isolatedHome(),
    KICK_API_URL: 'http://127.0.0.1:9',
    KICK_AUTH_URL: 'http://127.0.0.1:9',
    // never open a real browser from a test
    BROWSER: 'true',
    // never ask the real registry for a newer kick from a test (test/update/notice.test.ts turns it on)
    KICK_NO_UPDATE_NOTIFIER: '1',
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

/** Spawns the real binary as a user runs it, stdout a pipe (not a terminal). */
export function runKick(args: string[], options: RunOptions = {}): Promise<KickResult> {
  return new Promise((resolve, reject) => {
    const command = options.bin ? [options.bin, ...args] : [process.execPath, BIN, ...args]
    const child = options.terminal
      ? spawn('script', ['-qec', terminalCommand(command, options.columns), '/dev/null'], {
          cwd: options.cwd ?? ROOT,
          // TERM and COLUMNS from `env` win (`undefined` there removes one)
          env: terminalEnv(options.env),
          stdio: ['pipe', 'pipe', 'pipe'],
        })
      : spawn(command[0]!, command.slice(1), {
          cwd: options.cwd ?? ROOT,
          env: baseEnv(options.env),
          stdio: ['pipe', 'pipe', 'pipe'],
        })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(
          `kick ${args.join(' ')} did not finish within ${options.timeoutMs ?? 20_000} ms\n${stderr}`,
        ),
      )
    }, options.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout: options.terminal ? stdout.replace(/\r\n/g, '\n') : stdout, stderr })
    })
    // A kick that exits without reading stdin closes the pipe first: the EPIPE of writing to it is no failure
    // of the command (a test that needs the input asserts on what kick did with it).
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error)
    })
    child.stdin.end(options.input ?? '')
  })
}

function terminalEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return baseEnv({ COLUMNS: '120', LINES: '40', TERM: 'dumb', ...env })
}

function terminalCommand(command: string[], columns: number | undefined): string {
  const line = command.map(shellQuote).join(' ')
  return columns ? `stty cols ${columns} rows 40; exec ${line}` : line
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** kick on a pseudo-terminal (util-linux `script`), typed at like a person: wait for a prompt, then answer. */
export function terminalKick(args: string[], env: Record<string, string | undefined>) {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: terminalEnv(env),
    stdio: 'pipe',
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const exited = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    }),
  )
  return {
    exited,
    /** the transcript so far */
    output: () => output,
    type: (text: string) => child.stdin.write(text),
    async waitFor(pattern: RegExp): Promise<void> {
      for (let waited = 0; waited < 15_000; waited += 50) {
        if (pattern.test(output)) return
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error(`the terminal never showed ${pattern}:\n${output}`)
    },
  }
}
