import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { keyringAvailable } from '../auth/harness.js'
import { baseEnv, ROOT, runKick } from '../helpers/run-kick.js'
import { LockfileRegistry } from './lockfile-registry.js'

const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
}
/** Exactly what ships: no sources, no tests, no bin/dev.js (it needs tsx, which users lack). */
const SHIPPED = [
  'LICENSE',
  'README.md',
  'bin/package.json',
  'bin/run.js',
  'dist/command-ids.json',
  'dist/help-texts.json',
  'dist/keychain-child.js',
  'dist/kick.cjs',
  'dist/paths.cjs',
  'oclif.manifest.json',
  'package.json',
]
/** The scripts npm runs, or warns about, when a user installs the package. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare']

interface Npm {
  code: number | null
  stdout: string
  /** stdout and stderr as they came */
  output: string
}

/** npm with a clean HOME (no user npmrc) and this Node first on PATH, so every npm and kick runs on it. */
function npm(args: string[], home: string, cwd = ROOT): Promise<Npm> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd,
      env: { PATH: nodeFirstPath(), HOME: home, LANG: 'C.UTF-8', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      output += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, output }))
  })
}

function nodeFirstPath(): string {
  return [dirname(process.execPath), process.env.PATH].join(delimiter)
}

describe('the packed tarball, installed globally as a user installs it', () => {
  const temp = mkdtempSync(join(tmpdir(), 'kick-package-'))
  const home = join(temp, 'home')
  const prefix = join(temp, 'prefix')
  const installed = join(prefix, 'lib', 'node_modules', pjson.name)
  const kick = join(prefix, 'bin', 'kick')
  let registry: LockfileRegistry
  let packed: { filename: string; files: { path: string }[] }
  let install: Npm
  /** `npm install -g` into the temporary prefix, from the loopback registry only */
  const installGlobal = (spec: string) =>
    npm(
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--registry',
        registry.url,
        '--cache',
        join(temp, 'npm-cache'),
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        spec,
      ],
      home,
      temp,
    )
  // the installed kick, run on this Node, with an isolated home
  const run = (args: string[], env: Record<string, string | undefined> = {}, input?: string) =>
    runKick(args, { bin: kick, env: { PATH: nodeFirstPath(), ...env }, input })

  beforeAll(async () => {
    mkdirSync(home)
    registry = await LockfileRegistry.start(join(ROOT, 'package-lock.json'))
    // --ignore-scripts: the tarball of what `npm test` built; prepack would rebuild dist/ under the other tests' feet
    const pack = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', temp], home)
    expect(pack.code, pack.output).toBe(0)
    packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0]!
    install = await installGlobal(join(temp, packed.filename))
    expect(registry.missing, 'tarballs missing from the npm cache: run npm ci').toEqual([])
  }, 180_000)
  afterAll(async () => {
    await registry?.close()
    rmSync(temp, { recursive: true, force: true })
  })

  it('ships exactly bin/run.js, the bundle, the manifest, README and LICENSE, and no install script', () => {
    expect(packed.files.map((file) => file.path).sort()).toEqual(SHIPPED)
    const shipped = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
      dependencies: Record<string, string>
    }
    expect(Object.keys(shipped.scripts).filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([])
    expect(shipped.scripts.prepack).toBe('npm run build')
    // what the bundle holds is not installed again; what it loads at run time is
    expect(Object.keys(shipped.dependencies).sort()).toEqual([
      '@inquirer/prompts',
      '@napi-rs/keyring',
      'cli-table3',
      'localtunnel',
      'open',
    ])
  })

  it('installs from the tarball with no warning at all, without @oclif/core, @ngrok/ngrok or dev tools', () => {
    expect(install.code, install.output).toBe(0)
    expect(install.output).not.toMatch(/install.scripts|npm warn|npm error/i)
    expect(install.output).toMatch(/^added \d+ packages/m)
    for (const absent of ['@oclif/core', '@ngrok/ngrok', 'esbuild', 'tsx', 'typescript', 'vitest'])
      expect(existsSync(join(installed, 'node_modules', absent)), absent).toBe(false)
  })

  it("leaves npx kick in a checkout running the checkout's own bin", async () => {
    const result = await npm(['exec', '--offline', '--', 'kick', '--version'], home)
    expect(result.output).toBe(
      `kick-cli/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`,
    )
  })

  it('answers kick --version and kick --help', async () => {
    const version = await run(['--version'])
    expect(version.stdout).toBe(
      `kick-cli/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`,
    )
    const help = await run(['--help'])
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toContain('kick [COMMAND]')
    expect(help.stdout).toMatch(/^ {2}webhook /m)
  })

  it('runs with DEBUG set, though the debug package oclif would use is not installed (it stays quiet)', async () => {
    const help = await run(['users', 'get', '--help'], { DEBUG: '*' })
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toContain('kick users get')
  })

  it('runs kick listen --demo --count 2 --json', async () => {
    const result = await run(['listen', '--demo', '--count', '2', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; type: string; payload: unknown })
    expect(events).toHaveLength(2)
    for (const event of events)
      expect(event).toMatchObject({ id: expect.any(String), type: expect.any(String) })
  })

  it('runs a command against kick mock start, both from the installed copy', async () => {
    const mock = spawn(kick, ['mock', 'start', '--port', '0', '--user-token'], {
      env: baseEnv({ PATH: nodeFirstPath() }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const exports = await new Promise<Record<string, string>>((resolve, reject) => {
        let stdout = ''
        let stderr = ''
        mock.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
        mock.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk
          if (/^export KICK_ACCESS_TOKEN=\S+$/m.test(stdout))
            resolve(
              Object.fromEntries([...stdout.matchAll(/^export (\w+)=(\S+)$/gm)].map(([, k, v]) => [k!, v!])),
            )
        })
        mock.on('exit', (code) => reject(new Error(`kick mock start exited with ${code}\n${stderr}`)))
      })
      expect(Object.keys(exports).sort()).toEqual(['KICK_ACCESS_TOKEN', 'KICK_API_URL', 'KICK_AUTH_URL'])
      const users = await run(['users', 'get', '--json'], exports)
      expect(users.code, users.stderr).toBe(0)
      expect(JSON.parse(users.stdout)).toMatchObject([{ name: 'mockstreamer' }])
    } finally {
      mock.kill('SIGINT')
    }
  })

  it.runIf(keyringAvailable())('stores a secret in the keychain through its native binding', async () => {
    const env = { XDG_CONFIG_HOME: join(temp, 'config') }
    const set = await run(['config', 'set', 'client-secret', '-'], env, 'package-test-secret\n')
    expect(set.stderr).toBe('')
    expect(JSON.parse(set.stdout)).toMatchObject({ stored_in: 'keychain' })
    expect((await run(['config', 'unset', 'client-secret'], env)).code).toBe(0)
  })

  it('says to install @ngrok/ngrok for --tunnel ngrok, and uses it once installed beside kick', async () => {
    // a port that refuses: with the SDK loaded, ngrok fails to connect to it
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as { port: number }
    await new Promise((resolve) => closed.close(resolve))
    const args = ['listen', '--tunnel', 'ngrok', '--tunnel-host', `127.0.0.1:${port}`]
    const env = { NGROK_AUTHTOKEN: 'not-a-real-token' }

    const missing = await run(args, env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(
      'Error: --tunnel ngrok needs the @ngrok/ngrok package, which kick-cli does not install: run `npm install -g @ngrok/ngrok`, or use --tunnel cloudflared|localtunnel\n',
    )

    const ngrok = await installGlobal('@ngrok/ngrok')
    expect(ngrok.code, ngrok.output).toBe(0)
    const loaded = await run(args, env)
    expect(loaded.code).toBe(1)
    expect(loaded.stderr).toMatch(/^Error: ngrok refused the tunnel: failed to connect session/m)
  }, 120_000)
})
