// Rewrites the README's command list (between the commands markers) from oclif.manifest.json (with the help
// texts scripts/manifest.js took out of it) and the endpoint table, so the list can never drift from what the
// CLI really has: `npm run readme`.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { addHelpTexts, type CommandEntry, readHelpTexts } from '../src/help/texts.js'
import { endpointIds, endpoints } from '../src/kick/endpoints.js'

const root = new URL('..', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('oclif.manifest.json', root), 'utf8')) as {
  commands: Record<string, CommandEntry & { summary?: string; description?: string; aliases: string[] }>
}
addHelpTexts(Object.values(manifest.commands), readHelpTexts(fileURLToPath(root)))

const rows = Object.entries(manifest.commands)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([id, command]) => {
    const name = id.replaceAll(':', ' ')
    const calls = endpointIds()
      .map((endpointId) => endpoints[endpointId])
      .filter((endpoint) => endpoint.command === name || endpoint.command.startsWith(`${name} `))
      .map(
        (endpoint) => `\`${endpoint.method} ${endpoint.path}\`${endpoint.deprecated ? ' (deprecated)' : ''}`,
      )
    const aliases = command.aliases.length
      ? ` (alias: ${command.aliases.map((alias) => `\`kick ${alias.replaceAll(':', ' ')}\``).join(', ')})`
      : ''
    const summary = (command.summary ?? command.description ?? '').split('\n')[0]
    return `| \`kick ${name}\`${aliases} | ${summary} | ${calls.join('<br>') || '—'} |`
  })

const table = ['| command | what it does | Kick endpoint |', '|---|---|---|', ...rows].join('\n')
const readmeUrl = new URL('README.md', root)
const readme = readFileSync(readmeUrl, 'utf8')
const start = '<!-- commands:start -->'
const end = '<!-- commands:end -->'
if (!readme.includes(start) || !readme.includes(end))
  throw new Error(`README.md lacks the ${start} / ${end} markers`)
const updated = readme.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`)
writeFileSync(readmeUrl, updated)
console.log(`README.md: ${rows.length} commands listed`)
