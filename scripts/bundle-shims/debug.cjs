// Stands in for the `debug` package inside the bundle. oclif makes loggers on every run, and setting `debug`
// up (colour detection, tty checks) costs milliseconds that only matter when DEBUG is set: then, and only
// then, the real package is loaded and does everything as usual.
// An installed kick-cli has no @oclif/core (it is bundled) and so no `debug` beside it: DEBUG then stays quiet
// rather than failing the command.
function realDebug() {
  try {
    return require('./oclif-require.cjs')('debug')
  } catch {
    return undefined
  }
}
function createDebug(namespace) {
  const real = process.env.DEBUG ? realDebug() : undefined
  if (real) return real(namespace)
  const log = () => {}
  log.enabled = false
  log.namespace = namespace
  log.log = log
  log.extend = (suffix, delimiter = ':') => createDebug(`${namespace}${delimiter}${suffix}`)
  return log
}
createDebug.enabled = (namespace) => Boolean(process.env.DEBUG && realDebug()?.enabled(namespace))
module.exports = createDebug
