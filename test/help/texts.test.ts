import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Plugin } from '@oclif/core'
import { describe, expect, it } from 'vitest'

import { addHelpTexts, type CommandEntry, type CommandTexts, HELP_TEXTS_FILE } from '../../src/help/texts.js'
import { ROOT } from '../helpers/run-kick.js'

type Manifest = { commands: Record<string, CommandEntry & Record<string, unknown>> }
const read = <T>(file: string): T => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as T

describe('the help texts kept out of oclif.manifest.json', () => {
  it('leaves the manifest oclif parses on every start without them', () => {
    const textsIn = (object: object, fields: string[]): string[] => fields.filter((field) => field in object)
    for (const command of Object.values(read<Manifest>('oclif.manifest.json').commands)) {
      expect(textsIn(command, ['summary', 'description', 'examples']), command.id).toEqual([])
      for (const part of [...Object.values(command.flags), ...Object.values(command.args)])
        expect(textsIn(part, ['summary', 'description']), command.id).toEqual([])
    }
  })

  it('put back, make the manifest oclif builds from the commands themselves, aliases included', async () => {
    const plugin = new Plugin({ root: ROOT, type: 'core', ignoreManifest: true, respectNoCacheDefault: true })
    await plugin.load()
    const full = JSON.parse(JSON.stringify(plugin.manifest)) as Manifest
    const slim = read<Manifest>('oclif.manifest.json')
    const texts = read<Record<string, CommandTexts>>(HELP_TEXTS_FILE)
    addHelpTexts(Object.values(slim.commands), texts)
    expect(slim.commands).toEqual(full.commands)
    const aliased = Object.values(full.commands).filter((command) => (command.aliases as string[]).length)
    expect(aliased.length).toBeGreaterThan(0)
    for (const command of aliased) {
      for (const alias of command.aliases as string[]) {
        const copy = { ...slim.commands[command.id]!, id: alias, summary: undefined, description: undefined }
        addHelpTexts([copy], texts)
        expect(copy.summary, alias).toBe(command.summary)
      }
    }
  })

  it('keeps a text a command already has (loaded from its class, in development)', () => {
    const command = { id: 'users:get', summary: 'mine', flags: { id: { name: 'id' } }, args: {} }
    addHelpTexts([command], { 'users:get': { summary: 'theirs', flags: { id: { description: 'user id' } } } })
    expect(command).toEqual({
      id: 'users:get',
      summary: 'mine',
      flags: { id: { name: 'id', description: 'user id' } },
      args: {},
    })
  })
})
