// Bundles the CLI (oclif core, every command and our code) into one CommonJS file, dist/kick.cjs.
// Why: Node spends most of a short command's life resolving, reading and compiling hundreds of small
// modules; one file (with a V8 code cache, see bin/run.js) starts in a fraction of that. Heavy or native
// packages stay external and are loaded with `await import()` only by the commands that use them.
import { build } from 'esbuild'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

import { checkRuntimeImports } from './bundle-check.js'
import { bundledPackages, noticesText } from './third-party-notices.js'

// fileURLToPath, not URL.pathname, which is `/C:/…` on Windows
const root = fileURLToPath(new URL('..', import.meta.url))
const commandsDir = join(root, 'src', 'commands')

function commandFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return commandFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

// oclif's "explicit" command discovery: one export mapping every command id to its class. Each entry is a
// getter around require(), which esbuild turns into a lazy module init: with the manifest, oclif reads only
// the entry of the command it runs, so `kick --help` evaluates no command and `kick users get` only its own.
const files = commandFiles(commandsDir).sort()
// relative() answers with the platform's separator: `auth\login` on Windows
const commandId = (file) => relative(commandsDir, file).replace(/\.ts$/, '').split(sep).join(':')
const entry = [
  `export { execute } from '@oclif/core'`,
  `export { default as commandNotFound } from './hooks/command-not-found.js'`,
  // bin/run.js calls it once a command is done (src/update/notice.ts)
  `export { updateNotice } from './update/notice.js'`,
  // oclif takes the help class from this export's .default: a getter, so only showing help loads it
  `export const KickHelp = { get default() { return require('./help/kick-help.js').default } }`,
  `export const COMMANDS = {`,
  ...files.map((file) => {
    const path = `./${relative(join(root, 'src'), file).replace(/\.ts$/, '.js').split(sep).join('/')}`
    return `  get '${commandId(file)}'() { return require('${path}').default },`
  }),
  `}`,
].join('\n')

// Only Node built-ins, the package's own files and its `dependencies` are there when a user runs kick (an
// installed kick-cli has no @oclif/core, whose dependencies the bundle holds): checkRuntimeImports
// (scripts/bundle-check.js) fails the build on any other module the bundle would load.
//
// `debug`, `ejs`, `wsl-utils` and `supports-color` are replaced by the shims in scripts/bundle-shims/, each
// either a small stand-in or a front that evaluates the bundled package only when it is needed (see each
// shim). `string-width`, where a package imports it (not kick's own code, which has a newer major), goes
// through bundle-shims/ascii-width.cjs in front of the version that package resolves.
//
// Packages oclif uses only on paths kick never takes are stand-ins, not bundled: cli-spinners (30 kB of
// frames, of which oclif's spinner uses one set), and minimatch, tinyglobby and lilconfig (plugin and command
// discovery, see bundle-shims/plugin-discovery.cjs). oclif's ts-path (TypeScript sources in development,
// through typescript, tsx or ts-node) is replaced by its production answer (bundle-shims/ts-path.cjs).
const STAND_INS = {
  'cli-spinners': 'cli-spinners.cjs',
  minimatch: 'plugin-discovery.cjs',
  tinyglobby: 'plugin-discovery.cjs',
  lilconfig: 'plugin-discovery.cjs',
}
//
// oclif also requires at start-up modules that a run rarely uses: child_process (for a Windows-only branch),
// perf_hooks (for OCLIF_PERFORMANCE) and readline (for a flag read from stdin). For oclif's files those become
// a proxy that loads the real module on first use. tsc-compiled code reads a named import only when it calls
// it (`(0, mod.fn)()`), so nothing changes but when the module is loaded.
const RARE_BUILTINS = ['child_process', 'perf_hooks', 'readline']
// Functions oclif's error classes import at start-up, and call only to print an error of oclif's own or help
// (kick prints its errors itself): bundled, but each evaluated on its first call (wrap-ansi brings
// ansi-styles and string-width, ~1 ms).
const LATE_FUNCTIONS = ['wrap-ansi', 'clean-stack', 'indent-string']
const LAZY_FOR_OCLIF = new RegExp(`^(node:)?(${RARE_BUILTINS.join('|')})$|^(${LATE_FUNCTIONS.join('|')})$`)
const lazyModule = (specifier) => {
  const load = `
let real
const load = () => (real ??= require(${JSON.stringify(specifier)}))
`
  if (LATE_FUNCTIONS.includes(specifier))
    return `${load}module.exports = function (...args) { return load().apply(this, args) }\n`
  return `${load}module.exports = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key)
    return descriptor && { ...descriptor, configurable: true }
  },
})
`
}
// Edits to oclif's own files, each a text the build must find (it fails if an oclif upgrade changes one, so
// none is lost silently), each with why.
const OCLIF_EDITS = [
  {
    // oclif checks the Node version against its package.json's engines with semver on every start (unless
    // OCLIF_DISABLE_ENGINE_WARNING). bin/run.js checks the Node version itself, before anything loads, and
    // semver is not installed with kick-cli.
    file: /[\\/]lib[\\/]index\.js$/,
    from: `function checkNodeVersion() {
    if (process.env.OCLIF_DISABLE_ENGINE_WARNING && (0, util_1.isTruthy)(process.env.OCLIF_DISABLE_ENGINE_WARNING))
        return;
    try {
        const path = require('node:path');
        const semver = require('semver');
        const root = path.join(__dirname, '..');
        const pjson = require(path.join(root, 'package.json'));
        if (!semver.satisfies(process.versions.node, pjson.engines.node)) {
            process.emitWarning(\`Node version must be \${pjson.engines.node} to use this CLI. Current node version: \${process.versions.node}\`);
        }
    }
    catch {
        // ignore
    }
}
checkCWD();
checkNodeVersion();`,
    to: 'checkCWD();',
  },
  {
    // oclif sorts the commands of its manifest with localeCompare on every start; the first localeCompare in
    // a process builds ICU's collator, ~6 ms. Command ids are ASCII, for which code-unit order is the same.
    file: /[\\/]config[\\/]plugin\.js$/,
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
  },
  {
    // oclif finds the user's shell on every start, from SHELL or else the user database (os.userInfo), which
    // throws for a user id with no entry there: `docker run --user 1234 … kick` without SHELL failed every
    // command. kick never reads config.shell (oclif's help does, on Windows only), so it is found when read,
    // as oclif finds it (its Windows branch ends in COMSPEC here: the wsl-utils shim has no PowerShell path),
    // and 'unknown' where the user database has no answer.
    file: /[\\/]config[\\/]config\.js$/,
    from: 'this.shell = await (0, os_1.getShell)();',
    to: `{
            let shell;
            const find = () => {
                let name = process.env.SHELL;
                try {
                    name ??= (0, node_os_1.userInfo)().shell ?? undefined;
                }
                catch { }
                name ??= process.platform === 'win32' ? (process.env.COMSPEC ?? 'cmd.exe') : 'unknown';
                return name.split(/[\\\\/]/).pop() || 'unknown';
            };
            Object.defineProperty(this, 'shell', {
                configurable: true,
                enumerable: true,
                get: () => (shell ??= find()),
                set: (value) => (shell = value),
            });
        }`,
  },
  {
    // Root help keeps the topics that have a subtopic or command. oclif tests each topic against every topic,
    // and config.topics builds a new array on every read: 65 arrays and 4,225 string searches for kick's 65
    // topics, milliseconds of every \`kick --help\`. One pass over the names finds the same topics.
    file: /[\\/]help[\\/]index\.js$/,
    from: `        return this.config.topics.filter((topic) => {
            // it is assumed a topic has a child if it has children
            const hasChild = this.config.topics.some((subTopic) => subTopic.name.includes(\`\${topic.name}:\`));
            return hasChild;
        });`,
    to: `        const topics = this.config.topics;
        const parents = new Set();
        for (const { name } of topics)
            for (let end = name.indexOf(':'); end !== -1; end = name.indexOf(':', end + 1))
                parents.add(name.slice(0, end));
        return topics.filter((topic) => parents.has(topic.name));`,
  },
]

// The shim for oclif's fs/promises has only what oclif uses: fail the build if an oclif upgrade uses more.
const fsPromisesShim = createRequire(import.meta.url)('./bundle-shims/fs-promises.cjs')
function checkFsPromisesShim(file, source) {
  for (const [, binding] of source.matchAll(/const (\w+) = require\("(?:node:)?fs\/promises"\)/g)) {
    for (const [, name] of source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))) {
      if (!(name in fsPromisesShim)) throw new Error(`${file} uses fs/promises ${name}: add it to the shim`)
    }
  }
}

const shims = {
  name: 'shims',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /@oclif[\\/]core[\\/]lib[\\/].*\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8')
      checkFsPromisesShim(args.path, source)
      for (const edit of OCLIF_EDITS.filter(({ file }) => file.test(args.path))) {
        if (!source.includes(edit.from)) throw new Error(`${args.path}: "${edit.from}" to edit is gone`)
        source = source.replace(edit.from, edit.to)
      }
      return { contents: source, loader: 'js' }
    })
    // oclif reads only its version from its package.json, which the bundle would hold whole (its dependencies,
    // scripts, files) and build as an object on every start
    pluginBuild.onLoad({ filter: /@oclif[\\/]core[\\/]package\.json$/ }, async (args) => {
      const { name, version } = JSON.parse(await readFile(args.path, 'utf8'))
      return { contents: JSON.stringify({ name, version }), loader: 'json' }
    })
    pluginBuild.onResolve({ filter: /^(debug|ejs|wsl-utils|supports-color)$/ }, (args) => {
      if (args.importer.includes('bundle-shims')) return undefined
      return { path: join(root, 'scripts', 'bundle-shims', `${args.path}.cjs`) }
    })
    pluginBuild.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (!args.importer.includes('node_modules')) return undefined
      // the version this importer gets (asked without an importer, so this callback lets it through)
      const real = await pluginBuild.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind })
      if (real.errors.length) return { errors: real.errors }
      return { path: real.path, namespace: 'ascii-width' }
    })
    pluginBuild.onLoad({ filter: /.*/, namespace: 'ascii-width' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(join(root, 'scripts', 'bundle-shims', 'ascii-width.cjs'))})(() => require(${JSON.stringify(args.path)}))`,
      resolveDir: root,
      loader: 'js',
    }))
    pluginBuild.onResolve({ filter: /^(node:)?fs\/promises$/ }, (args) => {
      if (!args.importer.includes('@oclif/core')) return undefined
      return { path: join(root, 'scripts', 'bundle-shims', 'fs-promises.cjs') }
    })
    pluginBuild.onResolve({ filter: new RegExp(`^(${Object.keys(STAND_INS).join('|')})$`) }, (args) => {
      if (!args.importer.includes('@oclif/core')) return undefined
      return { path: join(root, 'scripts', 'bundle-shims', STAND_INS[args.path]) }
    })
    pluginBuild.onResolve({ filter: /^\.\.?\/(config\/)?ts-path$/ }, (args) => {
      if (!args.importer.includes('@oclif/core')) return undefined
      return { path: join(root, 'scripts', 'bundle-shims', 'ts-path.cjs') }
    })
    pluginBuild.onResolve({ filter: LAZY_FOR_OCLIF }, (args) => {
      if (!args.importer.includes('@oclif/core')) return undefined
      return { path: args.path, namespace: 'lazy', pluginData: { resolveDir: args.resolveDir } }
    })
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: lazyModule(args.path),
      resolveDir: args.pluginData.resolveDir,
      loader: 'js',
    }))
  },
}

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  // KICK_BUNDLE_NAMES=1 keeps names, for reading a CPU profile of the bundle
  minifyIdentifiers: !process.env.KICK_BUNDLE_NAMES,
  logLevel: 'warning',
  // for checkRuntimeImports: what each output loads at run time
  metafile: true,
}

/** An esbuild build whose output may load only what an installed kick-cli has (checkRuntimeImports). */
const checkedBuild = async (options) => {
  const result = await build(options)
  checkRuntimeImports(result.metafile, { root })
  return result
}

const bundle = await checkedBuild({
  ...shared,
  write: false,
  plugins: [shims],
  stdin: { contents: entry, resolveDir: join(root, 'src'), sourcefile: 'commands-index.ts', loader: 'ts' },
  outfile: join(root, 'dist', 'kick.cjs'),
  format: 'cjs',
  // import.meta.url inside the bundle means the bundle's own location.
  define: { 'import.meta.url': '__bundleUrl' },
  external: ['@napi-rs/keyring', '@ngrok/ngrok', '@inquirer/prompts', 'open', 'cli-table3'],
})

// bin/run.js compiles the bundle with vm.Script (for its code cache), where Node 20 cannot run a dynamic
// import() reliably. Every import() therefore goes through __kickImport, which bin/run.js (a real ES module)
// provides; loaded by plain require (the manifest script), the bundle falls back to import() itself.
const banner = [
  "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;",
  'const __kickImport = globalThis.__kickImport ?? ((specifier) => import(specifier));',
].join('\n')
// bin/run.js reads the bundle as latin1, right for ASCII only. esbuild escapes non-ASCII characters but for
// a few in regular expressions (ansis has a raw U+009B); \uXXXX means the same in strings, regular
// expressions and identifiers alike.
const code = bundle.outputFiles[0].text
  .replace(/(?<![\w$."'`])import\(/g, '__kickImport(')
  .replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
mkdirSync(join(root, 'dist'), { recursive: true })
// The file is the bundle already wrapped as a CommonJS module function, so bin/run.js compiles it as it is:
// wrapping it there (Module.wrap) made a second copy of its half megabyte on every start. Run as a script
// (bin/run.js), the file's value is that function; required (Node's own loader wraps it again, and there
// `arguments` are the wrapper's), it calls the function with the wrapper's arguments.
const wrapper = [
  "(typeof arguments === 'undefined' ? (bundle) => bundle : (bundle) => bundle.apply(this, arguments))(",
  'function (exports, require, module, __filename, __dirname) {',
].join('')
writeFileSync(join(root, 'dist', 'kick.cjs'), `${wrapper}${banner}\n${code}\n})\n`)

// The keychain runs in a child process (a hung Secret Service must not block the CLI): its script is a file
// of its own beside the bundle, where src/auth/keychain.ts looks for it.
const keychainChild = await checkedBuild({
  ...shared,
  entryPoints: [join(root, 'src', 'auth', 'keychain-child.ts')],
  outfile: join(root, 'dist', 'keychain-child.js'),
  format: 'esm',
  external: ['@napi-rs/keyring'],
})
// bin/run.js keeps its code cache in the cache dir, which it needs before it loads the bundle: it requires
// this CommonJS copy of src/config/paths.ts, so the rule for where the dirs are stays in that one file.
const paths = await checkedBuild({
  ...shared,
  entryPoints: [join(root, 'src', 'config', 'paths.ts')],
  outfile: join(root, 'dist', 'paths.cjs'),
  format: 'cjs',
})
// The licences of the bundled packages ship beside kick's own (package.json `files`); the metafile is kept
// in dist/ (not shipped) for the tests and for inspecting what the bundle holds.
const metafiles = [bundle.metafile, keychainChild.metafile, paths.metafile]
writeFileSync(
  join(root, 'THIRD_PARTY_NOTICES'),
  noticesText(bundledPackages(metafiles, root, ['cli-spinners'])),
)
writeFileSync(
  join(root, 'dist', 'metafile.json'),
  JSON.stringify({
    inputs: Object.assign({}, ...metafiles.map((metafile) => metafile.inputs)),
    outputs: Object.assign({}, ...metafiles.map((metafile) => metafile.outputs)),
  }),
)
// The update check runs in a detached child (src/update/notice.ts starts it, at most once a day): a file of its
// own, so that child loads the HTTP transport and nothing of oclif.
await checkedBuild({
  ...shared,
  stdin: {
    contents: [
      `import { checkLatest } from './update/check.js'`,
      `const [registry, state] = process.argv.slice(2)`,
      `if (registry && state) checkLatest(registry, state).catch(() => undefined)`,
    ].join('\n'),
    resolveDir: join(root, 'src'),
    sourcefile: 'update-check.ts',
    loader: 'ts',
  },
  outfile: join(root, 'dist', 'update-check.cjs'),
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
})
// bin/run.js keeps a code cache per command, and finds which command a run is for in this list of ids
writeFileSync(join(root, 'dist', 'command-ids.json'), JSON.stringify(files.map(commandId)))
console.log(`dist/kick.cjs: ${files.length} commands bundled`)
