// Stands in for `string-width` inside the bundle. oclif's help measures every word it wraps with it, and the
// package's first calls compile emoji-regex's 10 kB pattern: a few milliseconds of every `--help`. Printable
// ASCII takes one column a character, which is the package's answer too; only other text goes to the real one.
let real
function stringWidth(text) {
  if (typeof text === 'string' && /^[\x20-\x7e]*$/.test(text)) return text.length
  real ??= require('string-width')
  return real(text)
}
module.exports = stringWidth
module.exports.default = stringWidth
