import { Command, Config, Flags, type Interfaces } from '@oclif/core'

import type { Session, SessionOptions } from './auth/session.js'
import type { TokenProvider } from './kick/token-provider.js'
import { loadSettings, profileName, type Settings } from './config/config.js'
import { ExitCode, KickError, UsageError } from './errors.js'
import type { CallOptions, KickClient } from './kick/client.js'
import type { EndpointId } from './kick/endpoints.js'
import type { User } from './kick/types.js'
import type { JqFilter, JqOptions } from './output/jq.js'
import { write, writeJsonArray } from './output/json-stream.js'
import { type Column, renderSummary, renderTable } from './output/table.js'
import { dim, interactive, red, writeWarning } from './output/terminal.js'
import { escapeControls, escapeLines } from './output/sanitize.js'
import { redactSecrets } from './output/redact.js'

/** What declining a confirmation says, everywhere (exit 1); the README quotes it. */
export const DECLINED = 'cancelled: nothing was changed'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof KickCommand)['baseFlags'] & T['flags']
>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

function sharedFlags() {
  return {
    profile: Flags.string({
      description: 'stored account and config to use [env: KICK_PROFILE]',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({
      description: 'print each HTTP request and response to stderr (secrets redacted)',
      helpGroup: 'GLOBAL',
    }),
  }
}

/** The base flags of a command whose output is never JSON (`kick mock start`, `kick auth token`, `kick help`). */
export const flagsWithoutJson = sharedFlags()
type GlobalFlags = typeof flagsWithoutJson & {
  json?: Interfaces.BooleanFlag<boolean>
  jq?: Interfaces.OptionFlag<string | undefined>
}

/** `--jq EXPR`: on every command that prints JSON, and on `kick api` and `kick listen`, which define their own. */
export function jqFlag(
  description = 'filter the JSON output with a jq expression: strings print bare, one result a line',
) {
  return Flags.string({ description, helpGroup: 'GLOBAL' })
}

/**
 * The shared part of every command: `--profile`, `--verbose`, `--json` (on by itself when stdout is not a
 * terminal), the exit-code policy, and a Kick client built on first use.
 */
export abstract class KickCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true

  // oclif adds its own --json ("Format output as json.") to commands with enableJsonFlag; one defined here
  // replaces it, so it reads like every other flag. `kick api` keeps it too: its output is JSON already.
  static baseFlags: GlobalFlags = {
    json: Flags.boolean({
      description: 'print JSON (the default when stdout is not a terminal)',
      helpGroup: 'GLOBAL',
    }),
    jq: jqFlag(),
    ...sharedFlags(),
  }

  /** Commands that handle SIGINT themselves (listen, mock) set this; the rest exit 130. */
  static handlesSignals = false

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  /** every positional argument in order, including those past the declared ones (`strict = false` lists) */
  protected positionals!: string[]
  /** `--jq`, compiled (and jq loaded) before the command runs; JSON output goes through it */
  protected jq?: JqFilter
  private settingsPromise?: Promise<Settings>
  private clientPromise?: Promise<KickClient>

  public async init(): Promise<void> {
    await super.init()
    if (!(this.ctor as typeof KickCommand).handlesSignals) {
      const interrupted = (): never => process.exit(ExitCode.interrupted)
      process.once('SIGINT', interrupted)
      process.once('SIGTERM', interrupted)
      // The reader went away (`kick … --paginate | head -1`): nothing more can be delivered, so stop at once,
      // quietly and successfully, as a Unix filter killed by SIGPIPE would (no further pages fetched).
      // listen and mock handle a closed stdout themselves: they still have subscriptions to undo.
      process.stdout.on('error', (error) => {
        if (!isBrokenPipe(error)) throw error
        process.exit(ExitCode.ok)
      })
    }
    const { args, argv, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof KickCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((error: Error) => {
      // Whatever the parser rejects is bad input, also what it throws as a plain Error (Args.integer).
      throw new UsageError(`${oneLine(error.message)}: see \`kick ${this.id?.replaceAll(':', ' ')} --help\``)
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    this.positionals = argv.map(String)
    // compiled before any request: a filter that does not compile is a usage error (exit 2)
    const expression = (flags as { jq?: string }).jq
    if (expression !== undefined) {
      const { JqFilter } = await import('./output/jq.js')
      this.jq = await JqFilter.compile(expression, this.jqOptions())
    }
  }

  /** How --jq prints: `kick listen` keeps one line per result, also at a terminal. */
  protected jqOptions(): JqOptions {
    return {}
  }

  /**
   * oclif's Command.run loads the whole config again when handed one, for a plugin built on another oclif
   * version; kick is one bundle with one oclif, so the config that found the command runs it (~1 ms).
   */
  static async run<C extends Command>(
    this: new (argv: string[], config: Config) => C,
    argv: string[] = process.argv.slice(2),
    options?: Interfaces.LoadOptions,
  ): Promise<ReturnType<C['run']>> {
    if (!(options instanceof Config)) return Command.run.call(this, argv, options) as ReturnType<C['run']>
    const command = new this(argv, options) as unknown as { _run(): Promise<ReturnType<C['run']>> }
    return command._run()
  }

  /**
   * Plain JSON for a pipe, never coloured: oclif's colourizer re-tokenizes the whole text even then. With
   * --jq, what the filter makes of that JSON.
   */
  protected logJson(json: unknown): void {
    if (this.jq) {
      // oclif prints a command's result after its catch: a filter failing on it is reported here
      try {
        process.stdout.write(redactSecrets(this.jq.run(JSON.stringify(json))))
      } catch (error) {
        void this.catch(error as Error)
      }
      return
    }
    // kick's secrets never reach stdout, even inside data a server sent back
    const text = JSON.stringify(json, null, 2)
    const redacted = redactSecrets(text)
    if (process.stdout.isTTY) super.logJson(redacted === text ? json : JSON.parse(redacted))
    else process.stdout.write(`${redacted}\n`)
  }

  /** JSON when asked for, and whenever stdout is not a terminal (scripts get JSON without asking). */
  public jsonEnabled(): boolean {
    if (!this.ctor.enableJsonFlag) return false
    return super.jsonEnabled() || this.jq !== undefined || !process.stdout.isTTY
  }

  protected get profile(): string {
    return profileName(this.flags.profile)
  }

  protected settings(): Promise<Settings> {
    this.settingsPromise ??= loadSettings(this.profile)
    return this.settingsPromise
  }

  /** The Kick client, built (and loaded) on first use only. */
  protected kick(): Promise<KickClient> {
    this.clientPromise ??= (async () => {
      const [{ KickClient }, settings, tokens] = await Promise.all([
        import('./kick/client.js'),
        this.settings(),
        this.tokenProvider(),
      ])
      return new KickClient({
        settings,
        tokens,
        trace: this.flags.verbose ? (line) => this.trace(line) : undefined,
        progress: this.progress(),
        userAgent: this.config.userAgent,
      })
    })()
    return this.clientPromise
  }

  /** Where tokens come from: KICK_ACCESS_TOKEN, the keychain, the fallback file, client credentials. */
  protected async tokenProvider(): Promise<TokenProvider> {
    const { createTokenProvider } = await import('./auth/session.js')
    return createTokenProvider(await this.settings(), this.sessionOptions())
  }

  /** The profile's stored login (keychain or file, refresh, app tokens), for the auth commands. */
  protected async session(): Promise<Session> {
    const { Session } = await import('./auth/session.js')
    return new Session(await this.settings(), this.sessionOptions())
  }

  protected sessionOptions(): SessionOptions {
    return {
      warn: (line) => this.warning(line),
      trace: this.flags.verbose ? (line) => this.trace(line) : undefined,
      progress: this.progress(),
      userAgent: this.config.userAgent,
    }
  }

  /**
   * Where a line about a wait goes (a 429 backoff, a slow server, another process's refresh): stderr when it
   * is a terminal, so a person knows kick is waiting and not stuck; nowhere for scripts.
   */
  protected progress(): ((line: string) => void) | undefined {
    return process.stderr.isTTY ? (line) => this.note(line) : undefined
  }

  /** A warning on stderr, also in JSON mode (oclif's `warn` goes quiet there). */
  protected warning(message: string): void {
    writeWarning(message)
  }

  /** Progress and notes on stderr: stdout carries the result only. */
  protected note(message: string): void {
    process.stderr.write(`${escapeLines(message)}\n`)
  }

  protected trace(line: string): void {
    process.stderr.write(`${dim(escapeControls(line))}\n`)
  }

  /**
   * The broadcaster a command acts on: the flag, else the profile's `broadcaster-id`, else the logged-in
   * user (on Kick a user's channel has the user's id).
   */
  protected async broadcasterId(flag: number | undefined): Promise<number> {
    if (flag !== undefined) return flag
    const configured = (await this.settings()).broadcasterId
    if (configured !== undefined) return configured
    const kick = await this.kick()
    const { data } = await kick.call<User[]>('usersGet')
    const me = data[0]?.user_id
    if (me === undefined)
      throw new UsageError('no broadcaster: pass --broadcaster-id or run `kick config set broadcaster-id N`')
    return me
  }

  /**
   * A cursor-paged list: one page, or with `--paginate` every page. In JSON mode with `--paginate` the array is
   * streamed page by page (constant memory); otherwise the items are collected, shown as a table and returned.
   */
  protected async list<Row>(
    id: EndpointId,
    options: CallOptions,
    paginate: boolean | undefined,
    columns: readonly Column<Row>[],
  ): Promise<Row[] | undefined> {
    const kick = await this.kick()
    // An unset boolean flag is undefined, which `pages` would take as its default (follow every page).
    // A person at a terminal is told how to go on (below the table); scripts use --paginate (or `kick api`)
    // and get clean stderr.
    let more: string | undefined
    const pages = kick.pages<Row>(id, options, paginate === true, (cursor) => (more = cursor))
    if (paginate && this.jq) {
      await this.jq.runPages(pages, (text) => write(process.stdout, text))
      return undefined
    }
    if (paginate && this.jsonEnabled()) {
      await writeJsonArray(process.stdout, pages)
      return undefined
    }
    const rows: Row[] = []
    for await (const page of pages) rows.push(...page)
    await this.table(rows, columns)
    if (more && process.stderr.isTTY) this.note(`more results: add --cursor ${more} (or --paginate for all)`)
    return rows
  }

  /** Prints rows as a table, only when the output is for a person. */
  protected async table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): Promise<void> {
    if (this.jsonEnabled()) return
    const { text, hidden } = await renderTable(rows, columns)
    this.log(text)
    if (hidden.length)
      this.note(`${hidden.join(', ')} left out to fit the terminal: widen it, or add --json for everything`)
  }

  protected summary(fields: Record<string, unknown>): void {
    if (!this.jsonEnabled()) this.log(renderSummary(fields))
  }

  /**
   * One line on stdout saying what a command did when Kick answers no data (204, `{}`), for a person; in
   * JSON mode the command's returned confirmation object (e.g. `{"deleted": ID}`) is printed instead.
   */
  protected done(line: string): void {
    if (!this.jsonEnabled()) this.log(escapeControls(line))
  }

  /**
   * Some of what was asked for did not come back (Kick answers unknown ids with nothing): what did is still
   * the result, printed before the command fails with exit 1 naming the rest.
   */
  protected missing(found: unknown, message: string): KickError {
    if (this.jsonEnabled()) this.logJson(found)
    return new KickError(message)
  }

  /**
   * Asks before a destructive verb in a terminal; `--yes` skips it and non-terminal runs never prompt. The
   * question may be built only once it will be asked (a look-up of the thing's name costs a request that
   * scripts need not pay). Declining, the default, is the same for every command: {@link DECLINED}, exit 1,
   * nothing done.
   */
  protected async confirm(question: string | (() => Promise<string>), yes: boolean): Promise<void> {
    if (yes || !interactive()) return
    const message = escapeControls(typeof question === 'string' ? question : await question())
    const { confirm } = await import('@inquirer/prompts')
    const ok = await confirm({ message, default: false }, { output: process.stderr })
    if (!ok) throw new KickError(DECLINED)
  }

  /**
   * A name for a confirmation question, looked up at Kick; undefined when the look-up fails (a missing
   * read scope, say): the question then names the id alone rather than stop a command that may work.
   */
  protected async lookUp<T>(lookup: (kick: KickClient) => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await lookup(await this.kick())
    } catch (error) {
      if (this.flags.verbose) this.trace(`look-up for the question failed: ${(error as Error).message}`)
      return undefined
    }
  }

  /** One line on stderr, the documented exit code, and stdout left clean (also under --json). */
  protected async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    if (isBrokenPipe(error)) {
      process.exitCode = ExitCode.ok
      return
    }
    const { message, exitCode, detail } = classify(error)
    process.exitCode = exitCode
    process.stderr.write(`${red('Error:')} ${escapeControls(message)}\n`)
    if (detail && this.flags?.verbose) process.stderr.write(`${escapeLines(detail)}\n`)
  }
}

/** A write to a pipe whose reader has closed it. */
function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE'
}

function classify(error: Error & { oclif?: { exit?: number } }): {
  message: string
  exitCode: number
  detail?: string
} {
  if (error instanceof KickError)
    return { message: error.message, exitCode: error.exitCode, detail: error.detail }
  if (error.name === 'ExitPromptError' || error.name === 'AbortPromptError') {
    return { message: 'interrupted', exitCode: ExitCode.interrupted }
  }
  // oclif's own parse errors (unknown flag, missing argument, failed option) are usage errors.
  if (error.oclif?.exit !== undefined || /Parse|Flag|Arg|Validation/.test(error.name)) {
    return { message: oneLine(error.message), exitCode: ExitCode.usage }
  }
  return { message: error.message, exitCode: ExitCode.failure, detail: error.stack }
}

/**
 * oclif spreads one problem over several lines, between "The following error occurred:" and "See more help":
 * keep the problem, on one line, naming flags as they are typed.
 */
function oneLine(message: string): string {
  const lines = message.split('\n').map((line) => line.trim().replace(/:$/, ''))
  // "Missing 1 required arg:" is followed by a line per argument, "name  description": name them as usage does.
  const missing = lines.findIndex((line) => /^Missing \d+ required args?$/.test(line))
  if (missing !== -1) {
    const names = lines
      .slice(missing + 1)
      .map((line) => /^(\S+)\s{2,}/.exec(line)?.[1] ?? /^(\S+)$/.exec(line)?.[1])
      .filter((name) => name !== undefined)
    if (names.length) return `missing argument ${names.map((name) => name.toUpperCase()).join(' ')}`
  }
  return lines
    .filter(
      (line) =>
        line !== '' &&
        // oclif's notes on how its parser works are not about what went wrong
        !/^(See more help|The following errors? occurred|Note: |Alternatively, )/.test(line),
    )
    .join(': ')
    .replace(/\bMissing required flag (\w[\w-]*)/g, 'Missing required flag --$1')
}

export { UsageError }
