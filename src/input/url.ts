/**
 * Whether a flag's value is an http(s) URL with a host, the one check of every flag that names where to send
 * (`--to`, `--url`, `--forward-to`, `--public-url`, `--webhook-url`).
 */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^/]/.test(text)
}
