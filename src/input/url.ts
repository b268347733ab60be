/**
 * Whether a flag's value is an http(s) URL with a host, the one check of every flag that names where to send
 * (`--to`, `--url`, `--forward-to`, `--public-url`, `--webhook-url`).
 */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^/]/.test(text)
}

/** `text` as an absolute URL; undefined when it is none. */
export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/**
 * The path and query of a request target in origin-form (`/path?query`, `//` included: an empty segment is a
 * path), for a local server (the mock, the login's callback); undefined for any other form (`http://host/path`,
 * `*`), which a server that is no proxy need not take.
 */
export function originForm(target: string | undefined): URL | undefined {
  return target?.startsWith('/') ? parseUrl(`http://localhost${target}`) : undefined
}
