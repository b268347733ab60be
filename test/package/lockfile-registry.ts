import { execFileSync } from 'node:child_process'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

interface LockEntry {
  name?: string
  version?: string
  integrity?: string
  link?: boolean
  [field: string]: unknown
}

/** The fields of a lockfile entry that an install-time packument (npm's "corgi" form) carries too. */
const MANIFEST_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bin',
  'engines',
  'os',
  'cpu',
  'libc',
  'hasInstallScript',
]

/**
 * A loopback npm registry that knows exactly the versions in package-lock.json and serves their tarballs from
 * the npm cache `npm ci` filled (cacache keeps them by integrity). `npm install -g --offline` against that cache
 * does not work: npm ci caches install-form packuments while a global install asks for full ones (ENOTCACHED
 * at the first dependency), and a range would resolve to the newest version, whose tarball npm ci never
 * fetched. Here each range resolves to the locked version, and nothing but loopback is reached.
 */
export class LockfileRegistry {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** tarballs asked for that the npm cache does not hold (run `npm ci`) */
    readonly missing: string[],
  ) {}

  static async start(lockfile: string): Promise<LockfileRegistry> {
    const cache = join(
      execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(),
      '_cacache',
    )
    const { packages } = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, LockEntry> }
    const packuments = new Map<string, Record<string, Record<string, unknown>>>()
    const tarballs = new Map<string, string>()
    const missing: string[] = []
    const server = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url!, 'http://registry').pathname.slice(1))
      const tarball = tarballs.get(path)
      if (tarball) {
        if (!existsSync(tarball)) {
          missing.push(path)
          res.writeHead(404).end()
          return
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        createReadStream(tarball).pipe(res)
        return
      }
      const versions = packuments.get(path)
      if (!versions) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}')
        return
      }
      const latest = Object.keys(versions).sort(compareVersions).at(-1)!
      res.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' })
      res.end(JSON.stringify({ name: path, 'dist-tags': { latest }, versions }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    for (const [key, entry] of Object.entries(packages)) {
      if (!key || entry.link || !entry.version || !entry.integrity) continue
      const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)
      const file = `${name}/-/${name.split('/').at(-1)}-${entry.version}.tgz`
      tarballs.set(file, cachePath(cache, entry.integrity))
      const manifest: Record<string, unknown> = {
        name,
        version: entry.version,
        dist: { tarball: `${url}/${file}`, integrity: entry.integrity },
      }
      for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field]
      packuments.set(name, { ...packuments.get(name), [entry.version]: manifest })
    }
    return new LockfileRegistry(server, url, missing)
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** Where cacache keeps the content of an integrity string: content-v2/<algorithm>/<hex split 2/2/rest>. */
function cachePath(cache: string, integrity: string): string {
  const [algorithm, digest] = integrity.split(' ')[0]!.split(/-(.*)/s) as [string, string]
  const hex = Buffer.from(digest, 'base64').toString('hex')
  return join(cache, 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4))
}

function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((version) => version.split(/[.+-]/).map((part) => Number(part) || 0))
  for (let i = 0; i < 3; i++) if (pa![i] !== pb![i]) return pa![i]! - pb![i]!
  return 0
}
