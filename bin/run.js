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
  // oclif's own engines check (semver, which kick-cli does not install) is taken out of the bundle
  // (scripts/bundle.js): a major-version comparison says what matters here.
  if (Number(process.versions.node.split('.')[0]) < 20) {
    process.emitWarning(`kick needs Node.js 20 or newer; this is ${process.version}`)
  }
  // kick has no plugins and no themes: oclif need not look for a user's plugin list or theme.json.
  process.env.KICK_DISABLE_THEME ??= '1'
  // where src/config/paths.ts says the cache dir is (scripts/bundle.js makes this CommonJS copy of it): the
  // code cache and the update notice's state both live there
  const cacheDir = require(path.join(root, 'dist', 'paths.cjs')).cacheDir()
  const bundle = loadBundle(path.join(root, 'dist', 'kick.cjs'), cacheDir)
  // With package.json given, oclif neither searches for the package root nor reads the file again.
  bundle
    .execute({ dir: __filename, loadOptions: { root, pjson, userPlugins: false, devPlugins: false } })
    .then(() => {
      // after the command's output: a line when a newer kick is out, and at most once a day a detached check
      try {
        bundle.updateNotice({ argv, version: pjson.version, root, cacheDir })
      } catch {
        // the notice never fails a command
      }
      // The command is done (its run() waits for its own servers and children): exit now, rather than let
      // Node tear down V8's heap and its environment first (~2 ms of every command). Not while stdout or
      // stderr still holds a write (pipes are asynchronous on macOS and Windows, and oclif does not wait
      // for them): then Node ends as usual, once they are written.
      if (!process.stdout.writableLength && !process.stderr.writableLength) process.exit()
    })
}

/**
 * Two code caches can spare the bundle's compile. V8's, through vm.Script (below), is written at exit, so it
 * holds every function the command ran, lazily compiled ones included. Node's module.enableCompileCache
 * (Node >= 22) is written right after the top-level compile, so each start still compiles the functions a
 * command runs: measured with `npm run bench` on Node 22 and 24 (README), it starts `kick users get` and
 * `kick --help` slower, so V8's is used everywhere. Node's serves where the Node internals the vm.Script
 * path uses (_nodeModulePaths, _cache) are gone, and when KICK_CODE_CACHE=compile asks for it
 * (the bench measures it so); KICK_NO_CODE_CACHE=1 uses neither.
 */
function loadBundle(file, cacheDir) {
  // the Module class without require('node:module'), which loads more of Node's loader (~1 ms)
  const Module = module.constructor
  const useCache = !process.env.KICK_NO_CODE_CACHE
  const vmPath = typeof Module._nodeModulePaths === 'function' && Module._cache
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
  // One cache per command: V8's cache holds every function compiled when it was written, and reading it
  // costs by its size, so a command reads only what it runs itself. One cache for all (as before) grew with
  // each command used, and made every start slower. The folder names the build: another build's is removed.
  const buildDir = path.join(
    cacheDir,
    `code-cache-${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}`,
  )
  // (with KICK_NO_CODE_CACHE no cache is named, so the command list is not even read)
  const key = useCache ? commandKey(argv) : ''
  const cacheFile = path.join(buildDir, `${key}.bin`)
  // written by a run that failed, which may not have run what the command runs when it works
  const failedFile = path.join(buildDir, `${key}.failed.bin`)
  let cachedData
  let fromFailedRun = false
  if (useCache) {
    try {
      cachedData = fs.readFileSync(cacheFile)
    } catch {
      try {
        cachedData = fs.readFileSync(failedFile)
        fromFailedRun = true
      } catch {
        // this command's first run: compile, then write its cache at exit
      }
    }
  }
  // The bundle's import() calls (its external packages: prompts, open, tunnels) are made from here, where
  // import() works; in a vm.Script Node 20 cannot run it reliably. scripts/bundle.js routes them here.
  globalThis.__kickImport = (specifier) => import(specifier)
  // the bundle is written as a CommonJS module function (scripts/bundle.js): the script's value is that function
  const script = new vm.Script(source, { filename: file, cachedData })
  // Registered in require's cache so oclif, which loads the commands from this same file, gets this instance.
  const bundle = new Module(file)
  bundle.filename = file
  bundle.paths = Module._nodeModulePaths(path.dirname(file))
  Module._cache[file] = bundle
  script.runInThisContext()(bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file))
  bundle.loaded = true
  // Written at exit, so the cache holds the functions V8 compiles lazily (when first called) too. A failed
  // run writes one only where there is none, and the command's next successful run replaces it.
  if (useCache && (!cachedData || script.cachedDataRejected || fromFailedRun)) {
    process.once('exit', (code) => {
      if (code === 0) writeCodeCache(script, cacheFile, [failedFile])
      else if (!cachedData || script.cachedDataRejected) writeCodeCache(script, failedFile, [])
    })
  }
  return bundle.exports
}

/**
 * The command a run is for, as a file name: `users.get` for `kick users get 12 --json`, `users` for the topic,
 * `root` for none (`kick`, `kick --help`, a typo), with `.help` added when -h/--help shows a command's help.
 * The words before the first flag are matched against dist/command-ids.json (scripts/bundle.js writes it),
 * so arguments (`kick api /public/v1/users`) never make a cache of their own.
 */
function commandKey(words) {
  let ids = []
  try {
    ids = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'command-ids.json'), 'utf8'))
  } catch {
    // an incomplete install: every run shares the root's cache
  }
  const end = words.findIndex((word) => word.startsWith('-'))
  const leading = end === -1 ? words : words.slice(0, end)
  let id = ''
  for (let length = leading.length; length > 0 && !id; length--) {
    const candidate = leading.slice(0, length).join(':')
    if (ids.some((known) => known === candidate || known.startsWith(`${candidate}:`))) id = candidate
  }
  if (!id) return 'root'
  const help = words.some((word) => word === '--help' || word === '-h')
  return `${id.replaceAll(':', '.')}${help ? '.help' : ''}`
}

/** at most this many command caches of ~0.5 MB are kept for one build; past it the least recently written go */
const MAX_COMMAND_CACHES = 24
/** and at most this many for every Node version together (two Nodes' worth, ~25 MB) */
const MAX_CACHES = 2 * MAX_COMMAND_CACHES

/**
 * Writes this run's code cache, then sweeps. The folder of each build is named for the Node that wrote it
 * (`code-cache-<node version>-<arch>-<bundle size>-<bundle mtime>`): a user who switches Node versions (nvm, a
 * project's .nvmrc) keeps each one's caches, as V8 rejects another version's. Only the same Node's other
 * builds are stale (an upgraded kick); the caches of all Nodes together are bounded, least recently written
 * first out.
 */
function writeCodeCache(script, cacheFile, replaces) {
  const buildDir = path.dirname(cacheFile)
  const cacheDir = path.dirname(buildDir)
  let temp
  try {
    fs.mkdirSync(buildDir, { recursive: true, mode: 0o700 })
    // Created exclusively under a name no one can guess, never through a link planted at it (O_EXCL fails
    // on one), readable by this user only; the rename then replaces whatever is at the cache's own name.
    const { O_CREAT, O_EXCL, O_WRONLY, O_NOFOLLOW = 0 } = fs.constants
    const name = `${cacheFile}.${require('node:crypto').randomBytes(8).toString('hex')}.tmp`
    const fd = fs.openSync(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
    temp = name
    try {
      fs.writeFileSync(fd, script.createCachedData())
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temp, cacheFile)
    temp = undefined
    for (const file of replaces) fs.rmSync(file, { force: true })

    const sameNode = `code-cache-${process.version}-${process.arch}-`
    const caches = []
    for (const folder of fs.readdirSync(cacheDir)) {
      if (!folder.startsWith('code-cache-')) continue
      const dir = path.join(cacheDir, folder)
      if (dir !== buildDir && folder.startsWith(sameNode)) {
        fs.rmSync(dir, { recursive: true, force: true })
        continue
      }
      for (const file of readdirOrNone(dir)) {
        const written = mtimeOrNone(path.join(dir, file))
        if (written === undefined) continue
        if (file.endsWith('.bin')) caches.push({ file: path.join(dir, file), dir, written })
        // left by a kick that was killed while writing
        else if (file.endsWith('.tmp') && written < Date.now() - 600_000)
          fs.rmSync(path.join(dir, file), { force: true })
      }
    }
    // newest first: past either bound, the rest go
    caches.sort((a, b) => b.written - a.written)
    let own = 0
    let total = 0
    for (const cache of caches) {
      const pastOwn = cache.dir === buildDir && ++own > MAX_COMMAND_CACHES
      if (pastOwn || ++total > MAX_CACHES) fs.rmSync(cache.file, { force: true })
    }
    // another Node's folder emptied by the bound
    for (const dir of new Set(caches.map((cache) => cache.dir))) {
      if (dir !== buildDir && readdirOrNone(dir).length === 0)
        fs.rmSync(dir, { recursive: true, force: true })
    }
  } catch {
    // a read-only or full cache dir only costs speed
    try {
      if (temp) fs.rmSync(temp, { force: true })
    } catch {
      // nor does a temporary file that cannot be removed
    }
  }
}

function readdirOrNone(dir) {
  try {
    return fs.readdirSync(dir)
  } catch {
    return []
  }
}

/** when the file was written, or undefined when it is gone (another kick swept it meanwhile) */
function mtimeOrNone(file) {
  try {
    return fs.statSync(file).mtimeMs
  } catch {
    return undefined
  }
}
