/**
 * `--jq EXPR`, as `gh --jq` has it: the filter runs over exactly the JSON `--json` prints, strings print bare
 * and every result on a line of its own (compact in a pipe, indented at a terminal).
 *
 * The filter runs in jq itself, compiled to WebAssembly (the `jq-web` package, jq 1.7): of the jq
 * implementations on the registry it passed the most of jq's own manual examples that its version has
 * (218 of 229 from jq's development tree; the rest are newer builtins, big-number literals and $ENV) and
 * was the fastest WebAssembly build on a 600 KB page (~90 ms; a JavaScript implementation passed 173, and
 * failed on `//`, `try`, slices and `keys`). bench/jq-compare.ts makes the comparison. It loads (~120 ms)
 * only when a command is given --jq.
 */
import { createRequire } from 'node:module'

import { KickError, UsageError } from '../errors.js'
import { escapeLines } from './sanitize.js'

/** The part of jq-web kick uses: one run of jq's main over a JSON text, its stdout without the last newline. */
interface JqWeb {
  /** throws an Error carrying jq's `exitCode` (2 usage, 3 compile, 5 run time) and `stderr` */
  raw(json: string, filter: string, flags?: string[]): string | undefined
}

export interface JqOptions {
  /** one compact JSON text a result even at a terminal (`kick listen`: one line per event) */
  compact?: boolean
}

export class JqFilter {
  private constructor(
    private readonly jq: JqWeb,
    readonly expression: string,
    private readonly flags: string[],
    private readonly terminal: boolean,
  ) {}

  /**
   * Loads jq and compiles the expression without running it, so a filter that does not compile is a usage
   * error (exit 2) before any request: `limit(0; f)` compiles `f` and returns at once without evaluating it.
   */
  static async compile(expression: string, options: JqOptions = {}): Promise<JqFilter> {
    const jq = await loadJq()
    try {
      jq.raw('null', `limit(0; (${expression}\n))`, ['-n'])
    } catch (error) {
      throw jqError(error, expression)
    }
    const terminal = process.stdout.isTTY === true
    const flags = terminal && !options.compact ? ['-r'] : ['-r', '-c']
    return new JqFilter(jq, expression, flags, terminal)
  }

  /**
   * The filter's results over one JSON text, each ending in a newline ('' for none). At a terminal, text
   * from Kick is made inert as every line kick prints is (a bare string may hold escape sequences).
   */
  run(json: string): string {
    let output: string | undefined
    try {
      output = this.jq.raw(json, this.expression, this.flags)
    } catch (error) {
      throw jqError(error, this.expression)
    }
    if (output === undefined) return ''
    return `${this.terminal ? escapeLines(output) : output}\n`
  }

  /**
   * Whether the filter can run over a long list a page at a time and say the same as over the whole list:
   * `.[]` first, perhaps a path into each item (`.[].name`, `.[]["id"]`), then the end or a pipe (`.[] |
   * select(.x)`), which jq parses as `(.[]) | rest`: the rest sees one item at a time whatever it does.
   */
  get itemWise(): boolean {
    return ITEM_WISE.test(this.expression)
  }

  /**
   * `--paginate` under --jq: an item-wise filter runs over each page as it comes (memory stays flat); any
   * other gets the whole list, collected first, as `--json` would have printed it.
   */
  async runPages(pages: AsyncIterable<readonly unknown[]>, write: (text: string) => Promise<void>) {
    if (this.itemWise) {
      for await (const page of pages) {
        const text = this.run(JSON.stringify(page))
        if (text) await write(text)
      }
      return
    }
    const all: unknown[] = []
    for await (const page of pages) all.push(...page)
    const text = this.run(JSON.stringify(all))
    if (text) await write(text)
  }
}

const SEGMENT = String.raw`(?:\.[A-Za-z_]\w*|\.?\[(?:\d+|"(?:[^"\\]|\\.)*")?\])\??`
const ITEM_WISE = new RegExp(String.raw`^\s*\.\[\]\??(?:${SEGMENT})*\s*(?:$|\|(?!=))`)

/**
 * jq-web's module is a promise of jq, settled once its WebAssembly is compiled. It is CommonJS, so require
 * (as http.ts loads node:https): from the bundle, import() would start Node's ES module loader, and an ES
 * import of a module whose exports are a promise is itself awaited as one.
 */
function loadJq(): Promise<JqWeb> {
  return createRequire(import.meta.url)('jq-web') as Promise<JqWeb>
}

/**
 * jq's own words on one line, naming the flag: `--jq: syntax error, unexpected INVALID_CHARACTER …` (exit 2)
 * for a filter that does not compile, `--jq .[0]: Cannot index object with number` (exit 1) for one that
 * fails on the data.
 */
function jqError(error: unknown, expression: string): KickError {
  const { exitCode, stderr, message } = error as { exitCode?: number; stderr?: string; message?: string }
  // `jq: error: …` (compiling), `jq: error (at <input>): …` (running), `jq: parse error: …` (input not JSON);
  // not the count of compile errors jq adds last
  const lines = (stderr ?? message ?? String(error))
    .split('\n')
    .filter((line) => line.startsWith('jq: ') && !/^jq: \d+ compile errors?$/.test(line))
    .map((line) =>
      line
        .replace(/^jq: (?:error(?: \(at [^)]*\))?: )?/, '')
        .replace(/ \(Unix shell quoting issues\?\)/, '')
        .replace(/:$/, ''),
    )
  const reason = lines.join('; ') || (message ?? 'jq failed').split('\n')[0]!
  if (exitCode === 2 || exitCode === 3) return new UsageError(`--jq: ${reason}`)
  return new KickError(`--jq ${expression}: ${reason}`)
}
