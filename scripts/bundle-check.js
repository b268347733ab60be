// What the built files may load at run time. An installed kick-cli has Node, its own files and the packages
// in package.json `dependencies` (and optional peer dependencies, which the code that loads them says how to
// install); nothing else, not even what a devDependency such as @oclif/core brings. esbuild's metafile lists
// every module an output leaves to Node's require() or import() by name; each must be one of those.
import { readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/** `@scope/name` or `name` of a specifier such as `@scope/name/sub/path` */
export function packageName(specifier) {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/**
 * One line for each module an output of this metafile would load at run time that is neither a Node
 * built-in, a file the package ships (package.json `files`), nor a declared dependency; none when all are.
 */
export function runtimeImportProblems(metafile, pjson, root) {
  const optionalPeers = Object.keys(pjson.peerDependencies ?? {}).filter(
    (name) => pjson.peerDependenciesMeta?.[name]?.optional,
  )
  const declared = new Set([...Object.keys(pjson.dependencies ?? {}), ...optionalPeers])
  const shipped = (pjson.files ?? []).map((file) => resolve(root, file))
  const isShipped = (file) =>
    shipped.some((entry) => file === entry || file.startsWith(`${entry}${sep}`)) ||
    relative(root, file) === 'package.json'
  const problems = []
  for (const [output, { imports }] of Object.entries(metafile.outputs)) {
    const outputDir = dirname(resolve(root, output))
    for (const { path: specifier, kind, external } of imports) {
      if (!external || isBuiltin(specifier)) continue
      const isPath = specifier.startsWith('.') || isAbsolute(specifier)
      if (isPath ? isShipped(resolve(outputDir, specifier)) : declared.has(packageName(specifier))) continue
      const importers = Object.entries(metafile.inputs)
        .filter(([, input]) => input.imports.some((i) => i.external && i.path === specifier))
        .map(([input]) => input)
      problems.push(
        `${output} would ${kind === 'dynamic-import' ? 'import' : 'require'} "${specifier}" at run time` +
          `${importers.length ? ` (from ${importers.join(', ')})` : ''}, which is neither a Node built-in, ` +
          `a file kick-cli ships, nor in package.json "dependencies": bundle it, replace it ` +
          `(scripts/bundle-shims/) or declare it`,
      )
    }
  }
  return [...new Set(problems)]
}

/** Ends the build, naming each module, when an output would load one it may not (see above). */
export function checkRuntimeImports(metafile, { root }) {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const problems = runtimeImportProblems(metafile, pjson, root)
  if (!problems.length) return
  for (const problem of problems) console.error(`Error: ${problem}`)
  process.exit(1)
}
