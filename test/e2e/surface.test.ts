import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface ManifestFlag {
  name: string
  type: 'boolean' | 'option'
  char?: string
  multiple?: boolean
  required?: boolean
  options?: string[]
  allowNo?: boolean
}
interface ManifestCommand {
  id: string
  aliases: string[]
  args: Record<string, { name: string; required?: boolean }>
  flags: Record<string, ManifestFlag>
  strict?: boolean
}

const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<string, ManifestCommand>
}

/** Every command id with its aliases, arguments and flags: the public surface scripts depend on. */
function surface(): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const id of Object.keys(manifest.commands).sort()) {
    const command = manifest.commands[id]!
    out[id.replaceAll(':', ' ')] = {
      aliases: [...command.aliases].sort().map((alias) => alias.replaceAll(':', ' ')),
      args: Object.values(command.args).map((arg) => `${arg.name}${arg.required ? '' : '?'}`),
      flags: Object.values(command.flags)
        .map((flag) =>
          [
            flag.char ? `-${flag.char}, ` : '',
            `--${flag.name}`,
            flag.type === 'option' ? '=VALUE' : '',
            flag.multiple ? '...' : '',
            flag.required ? ' (required)' : '',
            flag.allowNo ? ' (--no-)' : '',
            flag.options ? ` [${flag.options.join('|')}]` : '',
          ].join(''),
        )
        .sort((a, b) => a.replace(/^-\w, /, '').localeCompare(b.replace(/^-\w, /, ''))),
    }
  }
  return out
}

describe('the public command surface', () => {
  it('matches the pinned snapshot (update it on purpose with `npx vitest run -u`)', async () => {
    await expect(JSON.stringify(surface(), null, 2) + '\n').toMatchFileSnapshot(
      '../__snapshots__/command-surface.json',
    )
  })
})
