#!/usr/bin/env node
// CommonJS on purpose (bin/package.json): Node starts a CommonJS entry faster than an ES module one.
//
// `kick --version` is answered here, without loading anything: scripts call it, and it should cost no more
// than starting Node. Everything else runs the one-file bundle (dist/kick.cjs) through a code cache kept in
// the cache dir, so a warm start compiles nothing (see loadBundle).
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
const argv = process.argv.slice(2)
const pjson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { name, version } = pjson
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // oclif checks its engines range with semver on every start; a major-version comparison says the same here.
  if (Number(process.versions.node.split('.')[0]) < 20) {
    process.emitWarning(`kick needs Node.js 20 or newer; this is ${process.version}`)
  }
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
  // kick has no plugins and no themes: oclif need not look for a user's plugin list or theme.json.
  process.env.KICK_DISABLE_THEME ??= '1'
  const bundle = loadBundle(path.join(root, 'dist', 'kick.cjs'))
  // With package.json given, oclif neither searches for the package root nor reads the file again.
  bundle.execute({ dir: __filename, loadOptions: { root, pjson, userPlugins: false, devPlugins: false } })
}

/**
 * Two code caches can spare the bundle's compile. V8's, through vm.Script (below), is written at exit, so it
 * holds every function the command ran, lazily compiled ones included. Node's module.enableCompileCache
 * (Node >= 22) is written right after the top-level compile, so each start still compiles the functions a
 * command runs: measured with `npm run bench` on Node 22 and 24 (README), it starts `kick users get` and
 * `kick --help` slower, so V8's is used everywhere. Node's serves where the Node internals the vm.Script
 * path uses (Module.wrap, _nodeModulePaths, _cache) are gone, and when KICK_CODE_CACHE=compile asks for it
 * (the bench measures it so); KICK_NO_CODE_CACHE=1 uses neither.
 */
function loadBundle(file) {
  // the Module class without require('node:module'), which loads more of Node's loader (~1 ms)
  const Module = module.constructor
  // where src/config/paths.ts says the cache dir is (scripts/bundle.js makes this CommonJS copy of it)
  const cacheDir = require(path.join(root, 'dist', 'paths.cjs')).cacheDir()
  const useCache = !process.env.KICK_NO_CODE_CACHE
  const vmPath =
    typeof Module.wrap === 'function' && typeof Module._nodeModulePaths === 'function' && Module._cache
  if (!vmPath || (useCache && process.env.KICK_CODE_CACHE === 'compile')) {
    if (useCache && Number(process.versions.node.split('.')[0]) >= 22) {
      // enableCompileCache is put on the class only once node:module itself is loaded
      require('node:module').enableCompileCache(path.join(cacheDir, 'compile-cache'))
    }
    return require(file)
  }
  const vm = require('node:vm')
  // The bundle is ASCII (scripts/bundle.js escapes the rest): latin1 makes V8's one-byte string directly,
  // without the UTF-8 decoding that takes a third longer for this size.
  const source = fs.readFileSync(file, 'latin1')
  const stat = fs.statSync(file)
  const cacheFile = path.join(
    cacheDir,
    `code-cache-${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}.bin`,
  )
  let cachedData
  if (useCache) {
    try {
      cachedData = fs.readFileSync(cacheFile)
    } catch {
      // first run: compile, then write the cache at exit
    }
  }
  // The bundle's import() calls (its external packages: prompts, open, tunnels) are made from here, where
  // import() works; in a vm.Script Node 20 cannot run it reliably. scripts/bundle.js routes them here.
  globalThis.__kickImport = (specifier) => import(specifier)
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData })
  // Registered in require's cache so oclif, which loads the commands from this same file, gets this instance.
  const bundle = new Module(file)
  bundle.filename = file
  bundle.paths = Module._nodeModulePaths(path.dirname(file))
  Module._cache[file] = bundle
  script.runInThisContext()(bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file))
  bundle.loaded = true
  // V8 compiles functions when first called, and the cache holds those compiled before it was written: so
  // each command (a different path through the bundle) adds its own once, then reads them all from the cache.
  if (useCache) {
    const commandsFile = cacheFile.replace(/\.bin$/, '.commands')
    // Two words name the command (`users get`, `drops claims`); arguments after them do not count.
    const firstFlag = argv.findIndex((word) => word.startsWith('-'))
    const key = argv.slice(0, firstFlag === -1 ? 2 : Math.min(2, firstFlag)).join(' ') || '(root)'
    let cached = []
    try {
      cached = fs.readFileSync(commandsFile, 'utf8').split('\n')
    } catch {
      // no command has written the cache yet
    }
    const grows = !cached.includes(key) && cached.length < 64
    if (!cachedData || script.cachedDataRejected || grows) {
      const commands = cachedData && !script.cachedDataRejected ? [...cached, key] : [key]
      process.once('exit', () => writeCodeCache(script, cacheFile, commandsFile, commands))
    }
  }
  return bundle.exports
}

function writeCodeCache(script, cacheFile, commandsFile, commands) {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true })
    const temp = `${cacheFile}.${process.pid}`
    fs.writeFileSync(temp, script.createCachedData())
    fs.renameSync(temp, cacheFile)
    fs.writeFileSync(`${temp}.commands`, commands.join('\n'))
    fs.renameSync(`${temp}.commands`, commandsFile)
    // caches of earlier builds are dead weight
    for (const name of fs.readdirSync(path.dirname(cacheFile))) {
      const old = path.join(path.dirname(cacheFile), name)
      if (name.startsWith('code-cache-') && old !== cacheFile && old !== commandsFile)
        fs.rmSync(old, { force: true })
    }
  } catch {
    // a read-only or full cache dir only costs speed
  }
}
