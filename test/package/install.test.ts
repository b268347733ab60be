import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { keyringAvailable } from '../auth/harness.js'
import { FixtureServer, ok } from '../helpers/fixture-server.js'
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
  'THIRD_PARTY_NOTICES',
  'bin/package.json',
  'bin/run.js',
  'dist/command-ids.json',
  'dist/help-texts.json',
  'dist/keychain-child.js',
  'dist/kick.cjs',
  'dist/paths.cjs',
  'dist/update-check.cjs',
  'oclif.manifest.json',
  'package.json',
]
/** The scripts npm runs, or warns about, when a user installs the package. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare']

/** a line of a JavaScript stack trace, as Node prints an uncaught error */
const STACK_FRAME = /^\s+at .*(:\d+:\d+\)?|\(native\)|\(node:[^)]*\))$/m
const USER = { user_id: 721956, name: 'Scorfly', email: 'user@domain.tld', profile_picture: '' }

/** CSI sequences (colour, cursor), OSC sequences (window title) and keypad modes, as bash and kick write them */
// eslint-disable-next-line no-control-regex -- matching terminal escapes is the point
const TERMINAL_ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[=>]/g

/** A terminal transcript as the text a person reads: without colour and cursor escapes. */
function withoutEscapes(output: string): string {
  return output.replace(TERMINAL_ESCAPE, '')
}

/** The commands `kick autocomplete bash` prints for writing the completion file, as a person would copy them. */
function setupSteps(printed: string): string[] {
  const block =
    /^Write the script where bash-completion finds it.*\n((?: {4}.+\n)+)/m.exec(printed)?.[1] ?? ''
  return block
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim())
}

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

  it("ships exactly bin/run.js, the bundle, the manifest, README, LICENSE and the bundled code's notices, and no install script", () => {
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
      'jq-web',
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

  it('installs nothing that carries a known advisory: no axios (localtunnel 2.0.2 pinned 0.21.4)', async () => {
    const tree = await npm(['ls', '--omit=dev', '--all', '--parseable', '--offline'], home, installed)
    expect(tree.code, tree.output).toBe(0)
    const packages = tree.stdout.split('\n').filter(Boolean)
    expect(packages.length).toBeGreaterThan(5)
    expect(packages.filter((path) => /node_modules\/(axios|localtunnel)$/.test(path))).toEqual([])
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

  it("runs with DEBUG=*, printing oclif's debug lines (the debug package is bundled)", async () => {
    const help = await run(['users', 'get', '--help'], { DEBUG: '*' })
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toContain('kick users get')
    expect(help.stderr).toMatch(/ oclif:main process\.execPath: /)
    expect(help.stderr).not.toContain('Cannot find module')
  })

  it('tells of a newer kick-cli in a terminal, from what its detached check asked the registry', async () => {
    const registry = await FixtureServer.start()
    try {
      registry.stub('GET', '/kick-cli', { json: { name: 'kick-cli', 'dist-tags': { latest: '99.0.0' } } })
      const cache = join(temp, 'update-cache')
      const env = { PATH: nodeFirstPath(), XDG_CACHE_HOME: cache, KICK_NO_UPDATE_NOTIFIER: undefined }
      const inTerminal = () =>
        runKick(['webhook', 'sample', 'kicks.gifted'], {
          bin: kick,
          terminal: true,
          env: { ...env, npm_config_registry: registry.url },
        })
      expect((await inTerminal()).code).toBe(0)
      const state = join(cache, 'kick', 'update-check')
      for (let waited = 0; !existsSync(state) || !readFileSync(state, 'utf8'); waited += 50) {
        if (waited > 20_000) throw new Error('the update check wrote nothing')
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const second = await inTerminal()
      expect(second.stdout).toContain(
        `A new version of kick is available: ${pjson.version} → 99.0.0. Update with: npm install -g kick-cli@latest`,
      )
    } finally {
      await registry.close()
    }
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
      // --jq loads jq's WebAssembly from the installed dependency
      const name = await run(['users', 'get', '--jq', '.[0].name'], exports)
      expect(name, name.stderr).toMatchObject({ code: 0, stdout: 'mockstreamer\n' })
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

  describe('in a terminal, as a person runs it: a pty, TERM=xterm-256color, 100 columns, no CI, NO_COLOR or TERM=dumb', () => {
    let api: FixtureServer
    beforeAll(async () => {
      api = await FixtureServer.start()
    })
    afterEach(() => {
      try {
        api.verify()
      } finally {
        api.reset()
      }
    })
    afterAll(() => api?.close())

    /** the installed kick on a pseudo-terminal; the transcript (stdout and stderr) is `output`, without colour in `text` */
    async function atTerminal(args: string[], env: Record<string, string | undefined> = {}) {
      const result = await runKick(args, {
        bin: kick,
        terminal: true,
        columns: 100,
        timeoutMs: 60_000,
        // baseEnv (run-kick.ts) starts from nothing, so CI never reaches the child; NO_COLOR is removed
        env: {
          PATH: nodeFirstPath(),
          TERM: 'xterm-256color',
          NO_COLOR: undefined,
          COLUMNS: undefined,
          ...env,
        },
      })
      const output = result.stdout
      expect(output).not.toContain('Cannot find module')
      expect(output, 'a stack trace').not.toMatch(STACK_FRAME)
      return { code: result.code, output, text: withoutEscapes(output) }
    }
    const loggedIn = () => ({ KICK_API_URL: api.url, KICK_ACCESS_TOKEN: 'package-test-token' })

    it('kick --help: the topics, no line wider than the terminal', async () => {
      const result = await atTerminal(['--help'])
      expect(result.code, result.output).toBe(0)
      expect(result.text).toContain('$ kick [COMMAND]')
      expect(result.text).toMatch(/^ {2}users +Kick users$/m)
      for (const line of result.text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100)
    })

    it('kick help environment', async () => {
      const result = await atTerminal(['help', 'environment'])
      expect(result.code, result.output).toBe(0)
      expect(result.text).toMatch(/^ {2}KICK_ACCESS_TOKEN +a token used as is/m)
    })

    it('kick users get -h', async () => {
      const result = await atTerminal(['users', 'get', '-h'])
      expect(result.code, result.output).toBe(0)
      expect(result.text).toContain('$ kick users get [--id <value>...]')
    })

    it('kick users get: a table of the user', async () => {
      api.stub('GET', '/public/v1/users', ok([USER]))
      const result = await atTerminal(['users', 'get'], loggedIn())
      expect(result.code, result.output).toBe(0)
      expect(result.text).toMatch(/^│ ID +│ NAME +│ EMAIL +│$/m)
      expect(result.text).toMatch(/^│ 721956 │ Scorfly │ user@domain\.tld │$/m)
      expect(api.requests[0]!.headers.authorization).toBe('Bearer package-test-token')
    })

    it('kick users get --json: the JSON of the user', async () => {
      api.stub('GET', '/public/v1/users', ok([USER]))
      const result = await atTerminal(['users', 'get', '--json'], loggedIn())
      expect(result.code, result.output).toBe(0)
      expect(JSON.parse(result.text)).toEqual([USER])
    })

    it('kick users get, not logged in: exit 4 and how to log in', async () => {
      const result = await atTerminal(['users', 'get'], { KICK_API_URL: api.url })
      expect(result.code, result.output).toBe(4)
      expect(result.text).toBe(
        'Error: not logged in: run `kick login --scopes user:read` or set KICK_ACCESS_TOKEN\n',
      )
    })

    it('a typo, kick chat sned hi: exit 2 with the command meant', async () => {
      const result = await atTerminal(['chat', 'sned', 'hi'], loggedIn())
      expect(result.code, result.output).toBe(2)
      expect(result.text).toBe('Error: unknown command "chat sned": did you mean `kick chat send`?\n')
    })

    it('kick autocomplete bash: the setup steps', async () => {
      const result = await atTerminal(['autocomplete', 'bash'])
      expect(result.code, result.output).toBe(0)
      expect(setupSteps(result.text)).toEqual([
        'mkdir -p ~/.local/share/bash-completion/completions',
        'kick autocomplete script bash > ~/.local/share/bash-completion/completions/kick',
      ])
    })

    it('kick listen --demo --count 2: two events, then it stops', async () => {
      const result = await atTerminal(['listen', '--demo', '--count', '2'])
      expect(result.code, result.output).toBe(0)
      expect(result.text).toContain('Demo: a local mock Kick sends sample events')
      expect(result.text).toContain('2 events printed')
    })

    it('DEBUG=kick: the command runs as usual (oclif debugs under oclif:*, which kick does not match)', async () => {
      api.stub('GET', '/public/v1/users', ok([USER]))
      const result = await atTerminal(['users', 'get', '--json'], { ...loggedIn(), DEBUG: 'kick' })
      expect(result.code, result.output).toBe(0)
      expect(JSON.parse(result.text)).toEqual([USER])
    })

    it('FORCE_COLOR=1: the table, in colour', async () => {
      api.stub('GET', '/public/v1/users', ok([USER]))
      const result = await atTerminal(['users', 'get'], { ...loggedIn(), FORCE_COLOR: '1' })
      expect(result.code, result.output).toBe(0)
      expect(result.output).toContain('\u001b[36m')
      expect(result.text).toMatch(/^│ ID +│ NAME +│ EMAIL +│$/m)
      expect(result.text).toMatch(/^│ 721956 │ Scorfly │ user@domain\.tld │$/m)
    })

    it('following `kick autocomplete bash` word for word in bash writes a completion file that completes', async () => {
      const home = mkdtempSync(join(temp, 'bash-home-'))
      const env = { HOME: home, XDG_CONFIG_HOME: undefined, XDG_CACHE_HOME: undefined }
      const steps = setupSteps((await atTerminal(['autocomplete', 'bash'], env)).text)
      // each step as typed at a terminal (the crash this guards against happened only with stderr a terminal)
      const setup = await bashAtTerminal(home, [
        'bash',
        '--norc',
        '--noprofile',
        '-e',
        '-c',
        steps.join('\n'),
      ])
      expect(setup.code, setup.output).toBe(0)
      const file = join(home, '.local', 'share', 'bash-completion', 'completions', 'kick')
      const script = readFileSync(file, 'utf8')
      expect(script).toMatch(/^# bash completion for kick\n/)
      expect(script).toContain('complete -')

      // "Then open a new shell and try: kick us<TAB>": bash-completion loads the file for the command `kick`;
      // where bash-completion is not installed the shell sources it as bash-completion would
      writeFileSync(
        join(home, '.bashrc'),
        [
          'if [ -f /usr/share/bash-completion/bash_completion ]; then . /usr/share/bash-completion/bash_completion',
          `else . ${file}; fi`,
          "PS1='ready$ '",
        ].join('\n'),
      )
      await expectCompletes(home)
    })

    it('the other way it prints, the eval line in ~/.bashrc, completes too', async () => {
      const home = mkdtempSync(join(temp, 'bash-home-'))
      const env = { HOME: home, XDG_CONFIG_HOME: undefined, XDG_CACHE_HOME: undefined }
      const printed = (await atTerminal(['autocomplete', 'bash'], env)).text
      const line = /add this line to ~\/\.bashrc:\n {4}(.+)\n/.exec(printed)?.[1]
      expect(line).toBe('eval "$(kick autocomplete script bash)"')
      writeFileSync(join(home, '.bashrc'), `PS1='ready$ '\n${line}\n`)
      await expectCompletes(home)
    })

    /** An interactive bash on a pty reading HOME's .bashrc: typing `kick us<TAB>get -h` runs `kick users get -h`. */
    async function expectCompletes(home: string): Promise<void> {
      const shell = await bashAtTerminal(home, ['bash', '--noprofile', '-i'], async (session) => {
        await session.waitFor(/ready\$ /)
        session.type('kick us\tget -h\n')
        await session.waitFor(/Get users by id/)
        session.type('exit\n')
      })
      expect(shell.output).not.toContain('Cannot find module')
      expect(withoutEscapes(shell.output)).toContain('$ kick users get [--id <value>...]')
    }

    /** `command` on a pseudo-terminal, with the installed kick first on PATH and HOME `home`, as a person's shell. */
    function bashAtTerminal(
      home: string,
      command: string[],
      session?: (terminal: {
        type: (text: string) => void
        waitFor: (pattern: RegExp) => Promise<void>
      }) => Promise<void>,
    ): Promise<{ code: number | null; output: string }> {
      const line = command.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ')
      const child = spawn('script', ['-qec', `stty cols 100 rows 40; exec ${line}`, '/dev/null'], {
        env: {
          PATH: [join(prefix, 'bin'), nodeFirstPath()].join(delimiter),
          HOME: home,
          LANG: 'C.UTF-8',
          TERM: 'xterm-256color',
          // a person's terminal, but no update check against the real registry from a test
          KICK_NO_UPDATE_NOTIFIER: '1',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
      const closed = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          reject(new Error(`${line} did not finish within 60 s:\n${output}`))
        }, 60_000)
        child.on('close', (code) => {
          clearTimeout(timer)
          resolve({ code, output: output.replace(/\r\n/g, '\n') })
        })
      })
      if (!session) {
        child.stdin.end()
        return closed
      }
      const terminal = {
        type: (text: string) => void child.stdin.write(text),
        async waitFor(pattern: RegExp) {
          for (let waited = 0; !pattern.test(withoutEscapes(output)); waited += 50) {
            if (waited > 45_000) throw new Error(`the terminal never showed ${pattern}:\n${output}`)
            await new Promise((resolve) => setTimeout(resolve, 50))
          }
        },
      }
      return session(terminal).then(
        () => closed,
        (error: unknown) => {
          child.kill('SIGKILL')
          throw error
        },
      )
    }
  })
})
