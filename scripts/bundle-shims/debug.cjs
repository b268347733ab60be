// Stands in for the `debug` package inside the bundle. oclif makes loggers on every run, and setting `debug`
// up (colour detection, tty checks) costs milliseconds that only matter when DEBUG is set: then, and only
// then, the real package (bundled, its Node half only) is evaluated and does everything as usual.
function realDebug() {
  return require('debug/src/node.js')
}
function createDebug(namespace) {
  if (process.env.DEBUG) return realDebug()(namespace)
  const log = () => {}
  log.enabled = false
  log.namespace = namespace
  log.log = log
  log.extend = (suffix, delimiter = ':') => createDebug(`${namespace}${delimiter}${suffix}`)
  return log
}
createDebug.enabled = (namespace) => Boolean(process.env.DEBUG && realDebug().enabled(namespace))
module.exports = createDebug
