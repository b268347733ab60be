// Stands in for `node:fs/promises` inside oclif, which reads a few small files at start-up (the manifest, a
// user theme that is usually missing). On Node 20 loading fs/promises costs ~2.5 ms (it brings readline and
// web streams). The files are read synchronously: for a few small files at start-up that saves the round
// trips through libuv's thread pool (and starting its threads). These are the functions oclif imports from
// it; a new one fails the build (scripts/bundle.js).
const fs = require('node:fs')

const settle = (work) => {
  try {
    return Promise.resolve(work())
  } catch (error) {
    return Promise.reject(error)
  }
}

module.exports = {
  access: (path, mode) => settle(() => fs.accessSync(path, mode)),
  readdir: (path, options) => settle(() => fs.readdirSync(path, options)),
  readFile: (path, options) => settle(() => fs.readFileSync(path, options)),
  stat: (path, options) => settle(() => fs.statSync(path, options)),
}
