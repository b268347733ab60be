// Stands in for `string-width` where oclif and the packages bundled with it import it (their own version,
// v4, resolved for each importer by scripts/bundle.js). oclif's help measures every word it wraps with it,
// and that version's first calls compile emoji-regex's 10 kB pattern: a few milliseconds of every `--help`.
// Printable ASCII takes one column a character, which is the package's answer too; only other text goes to
// the real one, loaded on that first call.
module.exports = function asciiFirst(loadReal) {
  let real
  function stringWidth(text) {
    if (typeof text === 'string' && /^[\x20-\x7e]*$/.test(text)) return text.length
    real ??= loadReal()
    return real(text)
  }
  stringWidth.default = stringWidth
  return stringWidth
}
