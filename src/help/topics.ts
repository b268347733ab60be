/**
 * Help topics that are not commands (`kick help environment`, `kick help exit-codes`), as `gh help
 * environment` has: the root help points here, so a newcomer finds them from `kick` alone.
 */
interface HelpTopicText {
  /** the line the root help lists it by */
  summary: string
  heading: string
  /** name and what it means, as a two-column list */
  rows: readonly (readonly [string, string])[]
  /** a paragraph after the list */
  after?: string
}

export const HELP_TOPICS = {
  environment: {
    summary: 'Environment variables kick reads',
    heading: 'ENVIRONMENT',
    rows: [
      ['KICK_ACCESS_TOKEN', 'a token used as is, bypassing the keychain (CI)'],
      ['KICK_PROFILE', 'the stored account and config to use (default "default"; --profile wins)'],
      ['KICK_CLIENT_ID', "the app's client id, overriding `kick config set client-id`"],
      ['KICK_CLIENT_SECRET', "the app's client secret, overriding the one in the keychain"],
      ['KICK_REDIRECT_URI', 'the login redirect URI (default http://localhost:53682/callback)'],
      ['KICK_API_URL', 'the API server (default https://api.kick.com); point it at `kick mock start`'],
      ['KICK_AUTH_URL', 'the OAuth server (default https://id.kick.com)'],
      ['BROWSER', 'a command `kick login` runs with the authorize URL instead of the system browser'],
      ['NGROK_AUTHTOKEN', 'for `kick listen --tunnel ngrok`'],
      ['HTTPS_PROXY', 'the proxy for https:// requests, http://[user:password@]host:port (CONNECT tunnels)'],
      ['HTTP_PROXY', 'the proxy for http:// requests (absolute-form); https_proxy, http_proxy win'],
      [
        'NO_PROXY',
        'hosts (and their subdomains), IPs, CIDR ranges, each with an optional :port, or *, that kick reaches ' +
          'directly (no_proxy wins); loopback hosts never use a proxy',
      ],
      ['NO_COLOR', 'no colour, whatever else is set (without it, colour only at a terminal)'],
      [
        'FORCE_COLOR',
        'colour on stderr lines and tables also where they do not go to a terminal (0: none at all); ' +
          'CLICOLOR_FORCE the same',
      ],
      ['XDG_CONFIG_HOME', 'where config.json lives (default ~/.config; kick/config.json inside)'],
      ['XDG_CACHE_HOME', 'where kick keeps its start-up cache (default ~/.cache)'],
      ['KICK_NO_UPDATE_NOTIFIER', 'when set, kick never checks for a newer version nor says one is out'],
      [
        'npm_config_registry',
        'the registry the daily update check asks (default https://registry.npmjs.org)',
      ],
      ['CI', 'when set, kick never prompts, even at a terminal, and never checks for updates'],
    ],
  },
  'exit-codes': {
    summary: 'What each exit status means',
    heading: 'EXIT CODES',
    rows: [
      ['0', 'success'],
      ['1', 'an API, network or runtime error (also: Kick answered, but not with what was asked for)'],
      ['2', 'a usage error: bad flags, arguments or input, found before any request'],
      ['4', 'authentication needed or rejected: no token, a 401, a missing scope, a failed refresh'],
      ['130', 'interrupted (Ctrl-C)'],
    ],
    after:
      'Errors are one line on stderr, "Error: …", saying what failed and what to do next; stdout carries only ' +
      'the result, so `kick … | jq` never sees an error.',
  },
} as const satisfies Record<string, HelpTopicText>

export type HelpTopic = keyof typeof HELP_TOPICS

export function isHelpTopic(name: string): name is HelpTopic {
  return Object.hasOwn(HELP_TOPICS, name)
}

/**
 * The width help is laid out for, as oclif lays out the rest of help: the terminal's (40 at least), or 80
 * when stdout is not a terminal.
 */
export function helpWidth(stream: NodeJS.WriteStream = process.stdout): number {
  if (!stream.isTTY) return 80
  const columns = stream.columns || 80
  return Math.max(40, columns)
}

/**
 * A topic laid out for `width` columns: each row's meaning starts in one column and wraps at word boundaries
 * back to that column, as the lists of oclif's help do (where that leaves less than 30 columns, under its
 * name instead, as oclif's do too); the paragraph after wraps to the full width.
 */
export function renderHelpTopic(topic: HelpTopicText, width: number): string {
  const nameWidth = Math.max(...topic.rows.map(([name]) => name.length))
  const beside = width - (2 + nameWidth + 3) >= 30
  const indent = beside ? 2 + nameWidth + 3 : 6
  const lines = [topic.heading]
  for (const [name, meaning] of topic.rows) {
    const wrapped = wrapWords(meaning, width - indent).map((line) => `${' '.repeat(indent)}${line}`)
    if (beside) lines.push(`  ${name.padEnd(nameWidth)}   ${wrapped.shift()!.trimStart()}`, ...wrapped)
    else lines.push(`  ${name}`, ...wrapped)
  }
  if (topic.after) lines.push('', ...wrapWords(topic.after, width))
  return lines.join('\n')
}

/** `text` in lines of at most `width` characters, broken between words (a longer word stands alone). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}
