#!/usr/bin/env node
// `kick --version` is answered here, without loading anything: scripts call it, and it should cost no more
// than starting Node. Everything else runs the one-file bundle (dist/kick.cjs) through a V8 code cache kept in
// the cache dir, so a warm start compiles nothing. Node 20 has no module.enableCompileCache, hence vm.Script.
const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const { readFileSync } = await import('node:fs')
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`kick/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // fetch parses HTTP with undici's WebAssembly llhttp; V8 then optimizes it on a background thread, and Node
  // waits for that work before it may exit: 60-90 ms on every command. Baseline (Liftoff) code is plenty for
  // parsing a few responses, and the process exits as soon as its work is done.
  const { setFlagsFromString } = await import('node:v8')
  setFlagsFromString('--liftoff-only')
  const bundle = await loadBundle(new URL('../dist/kick.cjs', import.meta.url).pathname)
  await bundle.execute({ dir: import.meta.url })
}

async function loadBundle(file) {
  const [{ default: Module, createRequire }, fs, { default: vm }, path, os] = await Promise.all([
    import('node:module'),
    import('node:fs'),
    import('node:vm'),
    import('node:path'),
    import('node:os'),
  ])
  const source = fs.readFileSync(file, 'utf8')
  const stat = fs.statSync(file)
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  const cacheFile = path.join(
    cacheRoot,
    'kick',
    `code-cache-${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}.bin`,
  )
  let cachedData
  if (!process.env.KICK_NO_CODE_CACHE) {
    try {
      cachedData = fs.readFileSync(cacheFile)
    } catch {
      // first run: compile, then write the cache at exit
    }
  }
  // The bundle's import() calls (its external packages: prompts, open, tunnels) are made from here, a real
  // ES module; scripts/bundle.js routes them to this function.
  globalThis.__kickImport = (specifier) => import(specifier)
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
  })
  // Registered in require's cache so oclif, which loads the commands from this same file, gets this instance.
  const bundle = new Module(file)
  bundle.filename = file
  bundle.paths = Module._nodeModulePaths(path.dirname(file))
  Module._cache[file] = bundle
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, path.dirname(file))
  bundle.loaded = true
  if (!process.env.KICK_NO_CODE_CACHE && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => {
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true })
        const temp = `${cacheFile}.${process.pid}`
        fs.writeFileSync(temp, script.createCachedData())
        fs.renameSync(temp, cacheFile)
        // caches of earlier builds are dead weight
        for (const name of fs.readdirSync(path.dirname(cacheFile))) {
          const old = path.join(path.dirname(cacheFile), name)
          if (name.startsWith('code-cache-') && old !== cacheFile) fs.rmSync(old, { force: true })
        }
      } catch {
        // a read-only or full cache dir only costs speed
      }
    })
  }
  return bundle.exports
}
