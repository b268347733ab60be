import { Flags } from '@oclif/core'

import { KickCommand } from '../../base-command.js'
import type { CompletionValues } from '../../completion/model.js'
import type { LoginResult } from '../../auth/login.js'
import { validateConfigValue } from '../../config/config.js'
import { UsageError } from '../../errors.js'
import { SCOPES } from '../../kick/endpoints.js'
import { interactive } from '../../output/terminal.js'
import { parseDuration } from '../../webhooks/duration.js'

export default class AuthLogin extends KickCommand<typeof AuthLogin> {
  static summary = 'Log in to Kick in the browser (OAuth PKCE) and store the tokens in the keychain'
  static description =
    'Listens on the redirect URI (default http://localhost:53682/callback, which the Kick app must list) on ' +
    'loopback only, opens the authorize page ($BROWSER if set) and stores the tokens under the profile.'
  static aliases = ['login']
  static examples = [
    '<%= config.bin %> login --scopes user:read,chat:write',
    '<%= config.bin %> login --all-scopes --profile bot',
    '<%= config.bin %> login --scopes user:read --no-browser',
  ]

  // for shell completion: --scopes is a comma list the command checks itself
  static completions: CompletionValues = { '--scopes': SCOPES }

  static flags = {
    scopes: Flags.string({
      description: `comma-separated scopes to ask for (${SCOPES.join(', ')})`,
      exclusive: ['all-scopes'],
    }),
    'all-scopes': Flags.boolean({ description: 'ask for all 11 scopes' }),
    timeout: Flags.string({ description: 'how long to wait for the browser (e.g. 90s, 5m)', default: '5m' }),
    browser: Flags.boolean({
      description:
        'open a browser; --no-browser only prints the URL and also reads the redirected URL from stdin',
      default: true,
      allowNo: true,
    }),
  }

  async run(): Promise<LoginResult> {
    const timeoutMs = parseDuration(this.flags.timeout)
    if (!timeoutMs)
      throw new UsageError(`--timeout must be a duration such as 90s or 5m, not "${this.flags.timeout}"`)
    let scopes = this.flags['all-scopes'] ? [...SCOPES] : parseScopes(this.flags.scopes)
    if (!scopes && !interactive())
      throw new UsageError('which scopes? pass --scopes a,b or --all-scopes (no prompt without a terminal)')

    // KICK_REDIRECT_URI skips `config set`'s check: the callback listener only ever serves loopback.
    validateConfigValue('redirect-uri', (await this.settings()).redirectUri)

    const [session, { appCredentials }, { loginWithBrowser }] = await Promise.all([
      this.session(),
      import('../../auth/credentials.js'),
      import('../../auth/login.js'),
    ])
    const credentials = await appCredentials(session)
    scopes ??= await askScopes()
    const result = await loginWithBrowser(session, {
      ...credentials,
      scopes,
      timeoutMs,
      openBrowser: this.flags.browser,
      note: (line) => this.note(line),
      warn: (line) => this.warning(line),
      progress: this.progress(),
    })
    const who = result.name ? `${result.name} (user id ${result.user_id})` : 'an unknown user'
    this.done(
      `Logged in to Kick as ${who}${result.profile === 'default' ? '' : ` on profile ${result.profile}`}; ` +
        `tokens in the ${result.storage === 'keychain' ? 'system keychain' : result.storage}`,
    )
    return result
  }
}

function parseScopes(flag: string | undefined): string[] | undefined {
  if (flag === undefined) return undefined
  const scopes = [...new Set(flag.split(/[\s,]+/).filter(Boolean))]
  if (scopes.length === 0)
    throw new UsageError('--scopes is empty: name at least one scope, or use --all-scopes')
  const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope))
  if (unknown.length)
    throw new UsageError(`unknown scope ${unknown.join(', ')}: the scopes are ${SCOPES.join(', ')}`)
  return scopes
}

async function askScopes(): Promise<string[]> {
  const { checkbox } = await import('@inquirer/prompts')
  return checkbox(
    {
      message: 'Scopes to ask Kick for:',
      choices: SCOPES.map((scope) => ({ value: scope, checked: scope === 'user:read' })),
      required: true,
      pageSize: SCOPES.length,
    },
    { output: process.stderr },
  )
}
