// Stands in for `ejs` inside the bundle. oclif passes every help text through ejs.render, where ours only ever
// hold `<%= config.bin %>`-style tags; compiling a template function per string is most of the cost of
// `kick --help`. Plain `<%= path.to.value %>` tags are filled in here (HTML-escaped, as ejs does); any other
// template is handed to the real ejs, loaded then.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }
const SIMPLE_TAG = /<%=\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*%>/g

function render(template, data = {}, options) {
  if (!template.includes('<%')) return template
  const simple = template.replace(SIMPLE_TAG, (_, path) => {
    const value = path.split('.').reduce((object, key) => (object == null ? undefined : object[key]), data)
    return String(value ?? '').replace(/[&<>"']/g, (character) => ESCAPES[character])
  })
  if (!simple.includes('<%')) return simple
  return require('./oclif-require.cjs')('ejs').render(template, data, options)
}

module.exports = { render }
