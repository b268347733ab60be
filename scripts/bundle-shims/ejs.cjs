// Stands in for `ejs` inside the bundle. oclif passes every help text through ejs.render, where ours only ever
// hold `<%= config.bin %>`-style tags; compiling a template function per string is most of the cost of
// `kick --help`. Plain `<%= path.to.value %>` tags are filled in here (HTML-escaped, as ejs does). Every text
// oclif renders is kick's own, and scripts/manifest.js fails the build when one holds any other tag, so the
// real ejs (which the installed package does not have) is never needed.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }
const SIMPLE_TAG = /<%=\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*%>/g

function render(template, data = {}) {
  if (!template.includes('<%')) return template
  return template.replace(SIMPLE_TAG, (_, path) => {
    const value = path.split('.').reduce((object, key) => (object == null ? undefined : object[key]), data)
    return String(value ?? '').replace(/[&<>"']/g, (character) => ESCAPES[character])
  })
}

/** the tags of `text` that render() does not fill in (for the build's check of the help texts) */
function unsupportedTags(text) {
  return text.replace(SIMPLE_TAG, '').match(/<%.*?(%>|$)/gs) ?? []
}

module.exports = { render, unsupportedTags }
