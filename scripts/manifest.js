// Writes oclif.manifest.json from the built commands, so `kick` never has to import every command file to
// find one (what the `oclif manifest` command does, without its large dependency tree), and
// dist/help-texts.json with the words of help taken out of it (src/help/texts.ts says why and puts them back).
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
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
const { manifest } = plugin

// oclif renders help texts as ejs templates; the bundle's stand-in for ejs fills in `<%= config.bin %>`-style
// tags only (the real ejs is not installed with kick-cli), so a text with any other tag fails the build.
const { unsupportedTags } = createRequire(import.meta.url)('./bundle-shims/ejs.cjs')
function checkTemplates(where, value) {
  if (typeof value === 'string') {
    const tags = unsupportedTags(value)
    if (tags.length) {
      console.error(`Error: ${where} uses ${tags.join(', ')}: help texts may hold only <%= name.path %> tags`)
      process.exit(1)
    }
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) checkTemplates(`${where}.${key}`, inner)
  }
}
checkTemplates('commands', manifest.commands)
checkTemplates('package.json', { description: plugin.pjson.description, topics: plugin.pjson.oclif.topics })

/** Moves the named fields of each object to the returned record (by key), leaving the object without them. */
function take(objects, fields) {
  const taken = {}
  for (const [key, object] of Object.entries(objects ?? {})) {
    const texts = Object.fromEntries(
      fields.filter((field) => object[field] !== undefined).map((f) => [f, object[f]]),
    )
    for (const field of fields) delete object[field]
    if (Object.keys(texts).length) taken[key] = texts
  }
  return taken
}

const texts = {}
for (const [id, command] of Object.entries(manifest.commands)) {
  const flags = take(command.flags, ['summary', 'description'])
  const args = take(command.args, ['description'])
  // the summary stays: root and topic help list commands by it, and so need no texts file
  const own = take({ [id]: command }, ['description', 'examples'])[id]
  texts[id] = { ...own, flags, args }
  // oclif lists an alias as a copy of its command under the alias's id
  for (const alias of command.aliases ?? []) texts[alias] = texts[id]
}

// ASCII only (other characters as \uXXXX, the same JSON): oclif reads the manifest on every start, and a
// single non-ASCII character makes all of it a two-byte string, slower to decode and to parse.
const ascii = (value) =>
  JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), ascii(manifest))
writeFileSync(new URL('../dist/help-texts.json', import.meta.url), ascii(texts))
console.log(`oclif.manifest.json: ${Object.keys(manifest.commands).length} commands`)
