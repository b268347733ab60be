// Writes oclif.manifest.json from the built commands, so `kick` never has to import every command file to
// find one (what the `oclif manifest` command does, without its large dependency tree).
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Plugin } from '@oclif/core'

// fileURLToPath, not URL.pathname, which is `/C:/…` on Windows
const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({
  root,
  type: 'core',
  ignoreManifest: true,
  errorOnManifestCreate: true,
  respectNoCacheDefault: true,
})
await plugin.load()
// ASCII only (other characters as \uXXXX, the same JSON): oclif reads the manifest on every start, and a
// single non-ASCII character makes all of it a two-byte string, slower to decode and to parse.
const json = JSON.stringify(plugin.manifest).replace(
  /[\u0080-\uffff]/g,
  (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
)
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), json)
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`)
