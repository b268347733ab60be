// THIRD_PARTY_NOTICES: the licence of every package whose code the built files hold (oclif and what it
// brings, MIT and ISC, whose terms ask that the notice travel with the code). The list comes from esbuild's
// metafiles, so a package that enters or leaves the bundle enters or leaves the file with it.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Where each bundled input's package lives: `node_modules/a/node_modules/@b/c/lib/x.js` -> `…/@b/c`. */
function packageDir(input) {
  const at = input.lastIndexOf('node_modules/')
  if (at === -1) return undefined
  const [scope, name] = input.slice(at + 'node_modules/'.length).split('/')
  return input.slice(0, at + 'node_modules/'.length) + (scope.startsWith('@') ? `${scope}/${name}` : scope)
}

/**
 * The packages whose files the metafiles' outputs hold, one entry per name and version, sorted, with the
 * text of each one's licence file. Inputs in a plugin's namespace (`lazy:…`) are not files and are skipped;
 * `extra` names packages whose text a file of kick's copies (the cli-spinners stand-in's frames).
 */
export function bundledPackages(metafiles, root, extra = []) {
  const dirs = new Set(extra.map((name) => join('node_modules', name)))
  for (const { inputs } of metafiles) {
    for (const input of Object.keys(inputs)) {
      if (/^[\w-]+:/.test(input)) continue
      const dir = packageDir(input)
      if (dir) dirs.add(dir)
    }
  }
  const packages = new Map()
  for (const dir of dirs) {
    const pjson = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    const licenceFile = readdirSync(join(root, dir)).find((name) =>
      /^(licen[cs]e|copying)(\b|[-.])/i.test(name),
    )
    if (!licenceFile)
      throw new Error(`${dir} (${pjson.name}@${pjson.version}) is bundled but has no licence file to ship`)
    const text = readFileSync(join(root, dir, licenceFile), 'utf8')
      .replace(/\r\n/g, '\n')
      .trim()
    packages.set(`${pjson.name}@${pjson.version}`, {
      name: pjson.name,
      version: pjson.version,
      license: typeof pjson.license === 'string' ? pjson.license : 'see below',
      text,
    })
  }
  const order = (a, b) => (a < b ? -1 : a > b ? 1 : 0)
  return [...packages.values()].sort((a, b) => order(a.name, b.name) || order(a.version, b.version))
}

export function noticesText(packages) {
  const rule = '-'.repeat(78)
  return [
    'Third-party notices for kick-cli',
    '',
    'The files in dist/ hold code of the packages below (bundled with esbuild), each under its own licence,',
    "reproduced here. kick-cli's own licence is in LICENSE.",
    '',
    ...packages.map(({ name, version }) => `  ${name} ${version}`),
    '',
    ...packages.flatMap(({ name, version, license, text }) => [
      rule,
      `${name} ${version} (${license})`,
      '',
      text,
      '',
    ]),
  ].join('\n')
}
