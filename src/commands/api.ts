import { readFileSync } from 'node:fs'

import { Args, Flags } from '@oclif/core'

import type { TokenProvider } from '../kick/token-provider.js'
import { jqFlag, KickCommand } from '../base-command.js'
import { KickError, UsageError } from '../errors.js'
import {
  API_METHODS,
  type Field,
  apiEndpoint,
  fieldsToForm,
  fieldsToJson,
  fieldsToQuery,
  pageOfBody,
  parseField,
  parseHeader,
  resolveApiPath,
} from '../kick/api-request.js'
import type { RawResponse, SendOptions } from '../kick/client.js'
import { matchEndpoint } from '../kick/endpoints.js'
import { followCursor } from '../kick/pagination.js'
import { writeJsonArray, write } from '../output/json-stream.js'
import { escapeControls, escapeLines } from '../output/sanitize.js'
import { redactHeader } from '../output/redact.js'

export default class Api extends KickCommand<typeof Api> {
  static summary = 'Make an authenticated request to any Kick endpoint and print the response body'
  static description = `PATH may omit /public/v1 (\`kick api users\` is GET /public/v1/users); a path starting with \
/public/ is used as is, and /oauth/… goes to the OAuth server. The method is GET, or POST when fields or --input \
are given; -X sets it. With GET, fields go into the query string (a repeated key repeats the parameter); otherwise \
they form a JSON body (a repeated key, or key[], makes an array). A non-2xx answer is still printed, then the \
command exits 1 (4 for 401).`

  static examples = [
    '<%= config.bin %> api users',
    '<%= config.bin %> api users -X GET -F id=721956 -F id=30111',
    '<%= config.bin %> api /public/v2/categories -X GET -f name=Slots --paginate',
    '<%= config.bin %> api chat -F broadcaster_user_id=721956 -f type=user -f content=hi',
    '<%= config.bin %> api events/subscriptions --input body.json',
    '<%= config.bin %> api drops/claims --app -i',
  ]

  // The output is Kick's body as is, not data the command shapes, so there is no --json.
  static enableJsonFlag = false

  static args = {
    path: Args.string({ description: 'endpoint path, e.g. users or /public/v2/livestreams', required: true }),
  }

  static flags = {
    method: Flags.string({
      char: 'X',
      description: 'HTTP method (default GET, or POST with fields/--input)',
    }),
    'raw-field': Flags.string({
      char: 'f',
      description: 'string field key=value (repeatable)',
      multiple: true,
      // `kick api -F id=1 users`: a repeated flag takes one value each time, so the path may come last
      multipleNonGreedy: true,
    }),
    field: Flags.string({
      char: 'F',
      description: 'typed field key=value: numbers, true/false/null, @file, @- for stdin (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    header: Flags.string({
      char: 'H',
      description: "extra request header 'Name: value' (repeatable)",
      multiple: true,
      multipleNonGreedy: true,
    }),
    input: Flags.string({ description: 'file to send as the request body (- for stdin)' }),
    paginate: Flags.boolean({
      description:
        'follow every page (pagination.next_cursor or data.cursor) and print one JSON array of the items (--jq: a filter starting with .[] runs page by page, any other gets the whole array once collected)',
      exclusive: ['include'],
    }),
    include: Flags.boolean({
      char: 'i',
      description: 'print the status line and response headers before the body',
    }),
    app: Flags.boolean({
      description: 'use an app access token (client credentials) instead of the user token',
    }),
    jq: jqFlag(
      'filter the response body with a jq expression: strings print bare, one result a line (a non-2xx body is printed as is)',
    ),
  }

  async run(): Promise<void> {
    const request = this.request()
    const kick = await this.kick()
    const response = await kick.send(request)
    if (!this.flags.paginate || !isSuccess(response)) {
      await this.print(response)
      if (!isSuccess(response)) throw await this.failure(response, request)
      return
    }
    const first = pageOfBody(parseJson(response.text))
    if (!first) {
      // Not a list after all: nothing to follow, so the body is the answer.
      await this.print(response)
      return
    }
    let failure: KickError | undefined
    const pages = followCursor(async (cursor) => {
      if (cursor === undefined) return first
      const query = new URLSearchParams(request.query as URLSearchParams)
      query.set('cursor', cursor)
      const next = await kick.send({ ...request, query })
      if (isSuccess(next)) return pageOfBody(parseJson(next.text))
      // Close the array already on stdout so it stays valid JSON, then fail.
      failure = await this.failure(next, request)
      return undefined
    })
    if (this.jq) await this.jq.runPages(pages, (text) => write(process.stdout, text))
    else await writeJsonArray(process.stdout, pages)
    if (failure) throw failure
  }

  /** Flags → one request: method, host, path, query, body, headers, and the table's token rules. */
  private request(): SendOptions {
    const { flags } = this
    const target = resolveApiPath(this.args.path)
    if (flags.input === '-' && (flags.field ?? []).some((argument) => argument.endsWith('=@-'))) {
      throw new UsageError('stdin can feed --input - or a field (key=@-), not both')
    }
    const stdin = onceReader(() => readInput('-'))
    const readers = { file: (path: string) => readInput(path), stdin }
    const fields: Field[] = [
      ...(flags['raw-field'] ?? []).map((argument) => parseField(argument, false, readers)),
      ...(flags.field ?? []).map((argument) => parseField(argument, true, readers)),
    ]
    const method = (
      flags.method ?? (fields.length || flags.input !== undefined ? 'POST' : 'GET')
    ).toUpperCase()
    if (!(API_METHODS as readonly string[]).includes(method)) {
      throw new UsageError(`unknown method ${flags.method}: use one of ${API_METHODS.join(', ')}`)
    }
    if (flags.paginate && method !== 'GET') throw new UsageError('--paginate only works with GET')
    if (flags.input !== undefined && (method === 'GET' || method === 'HEAD')) {
      throw new UsageError(`a ${method} request has no body: drop --input or set -X POST/PATCH/PUT/DELETE`)
    }

    const headers: Record<string, string> = {}
    for (const [name, value] of (flags.header ?? []).map(parseHeader)) headers[name.toLowerCase()] = value
    const known = matchEndpoint(method, target.path)?.endpoint
    const endpoint = apiEndpoint(known, target, method, flags.app)
    const request: SendOptions = {
      method,
      host: target.host,
      path: target.path,
      query: target.query,
      headers,
      endpoint,
    }

    if (flags.input !== undefined) {
      // Like gh: with --input the fields go into the query string.
      request.raw = flags.input === '-' ? stdin() : readInput(flags.input)
      headers['content-type'] ??= 'application/json'
      fieldsToQuery(fields, target.query)
    } else if (method === 'GET' || method === 'HEAD') {
      fieldsToQuery(fields, target.query)
    } else if (fields.length) {
      if (known?.body === 'form') request.form = fieldsToForm(fields)
      else request.json = fieldsToJson(fields)
    }
    return request
  }

  /** `--app`: an app token even when logged in or KICK_ACCESS_TOKEN is set. */
  protected async tokenProvider(): Promise<TokenProvider> {
    if (!this.flags.app) return super.tokenProvider()
    const { createTokenProvider } = await import('../auth/session.js')
    return createTokenProvider(await this.settings(), { ...this.sessionOptions(), prefer: 'app' })
  }

  private async print(response: RawResponse): Promise<void> {
    // For a person: text from the server with its control characters escaped, JSON indented, a final
    // newline; a pipe gets the bytes exactly as Kick sent them.
    const person = process.stdout.isTTY
    if (this.flags.include) {
      const lines = [`HTTP/1.1 ${response.status} ${response.statusText}`]
      for (const [name, value] of response.headers) {
        lines.push(`${canonicalHeader(name)}: ${redactHeader(name, value)}`)
      }
      await write(process.stdout, `${(person ? lines.map(escapeControls) : lines).join('\n')}\n\n`)
    }
    if (!response.text) return
    if (this.jq && isSuccess(response)) {
      await write(process.stdout, this.jq.run(response.text))
      return
    }
    if (person) {
      const parsed = parseJson(response.text)
      await write(
        process.stdout,
        parsed === undefined ? `${escapeLines(response.text)}\n` : `${JSON.stringify(parsed, null, 2)}\n`,
      )
      return
    }
    // The bytes as Kick sent them, and a final newline (the shell prompt then starts on its own line, and
    // line-based tools see a complete last line).
    await write(process.stdout, response.text.endsWith('\n') ? response.text : `${response.text}\n`)
  }

  private async failure(response: RawResponse, request: SendOptions): Promise<KickError> {
    const { errorForResponse } = await import('../kick/client.js')
    return errorForResponse(response, request.endpoint)
  }
}

function isSuccess(response: RawResponse): boolean {
  return response.status >= 200 && response.status < 300
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function readInput(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8')
  } catch (error) {
    throw new UsageError(
      `cannot read ${path === '-' ? 'stdin' : path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    )
  }
}

/** stdin can be read once; `-F a=@- -F b=@-` both get the same text. */
function onceReader(read: () => string): () => string {
  let text: string | undefined
  return () => (text ??= read())
}

function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())
}
