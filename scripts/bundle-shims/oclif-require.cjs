// Loads a package that oclif needs only now and then (semver, minimatch, tinyglobby, lilconfig; debug and ejs
// behind their shims) from where npm installed it for @oclif/core, instead of from the bundle: left out, they
// spare every start reading and decoding ~150 kB (a quarter of the bundle) that a run almost never uses.
let fromOclif
// resolved when the bundle runs, from where the bundle is (a name in a variable: esbuild leaves it alone)
const OCLIF = '@oclif/core'
module.exports = function oclifRequire(specifier) {
  fromOclif ??= require('node:module').createRequire(require.resolve(OCLIF))
  return fromOclif(specifier)
}
