import { createHash, type KeyObject } from 'node:crypto'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

import { writeFileAtomic } from '../config/files.js'
import { cacheDir } from '../config/paths.js'
import { endpoints } from '../kick/endpoints.js'
import { failureReason, httpRequest, type HttpResponse } from '../kick/http.js'
import { UsageError } from '../errors.js'
import { existingDevPublicKey, loadDevKey } from './dev-key.js'
import { KICK_PUBLIC_KEY_PEM, publicKeyFromPem } from './signature.js'
import {
  type DeliveryHeaders,
  SIGNATURE_MISMATCH,
  type TrustedKey,
  type Verification,
  type VerifyOptions,
  verifyDelivery,
} from './verify.js'

export const KEY_CACHE_TTL_MS = 24 * 3_600_000
const FETCH_TIMEOUT_MS = 5_000
/** A failing signature re-fetches the key at most this often, so forged requests cannot hammer Kick. */
const REFETCH_INTERVAL_MS = 3_600_000

export interface KeyOptions {
  /** KICK_API_URL: where `GET /public/v1/public-key` is asked */
  apiUrl: string
  /** `--public-key-file`: this key only, nothing fetched */
  publicKeyFile?: string
  /** `--accept-dev-signatures`: also trust the local development key */
  acceptDevSignatures?: boolean
  /** keep the fetched key in the cache dir (off for throwaway servers such as `--demo`'s) */
  cache?: boolean
  warn: (message: string) => void
  /** for tests */
  now?: () => number
}

/** Where Kick's key came from, for the banner. */
export type KeySource = 'file' | 'cache' | 'fetched' | 'documented'

/** Why a delivery that `kick trigger` or `kick mock` signed is turned away by a listener that does not trust them. */
export const DEV_SIGNATURE_NOT_ACCEPTED =
  'signed with the local development key (kick trigger, kick mock), accepted only with --accept-dev-signatures'

/**
 * The keys a delivery may be signed with: Kick's (from `--public-key-file`, else the 24 h cache, else
 * `GET /public/v1/public-key`, else the key in Kick's docs) and, when asked, the local dev key.
 */
export class PublicKeys {
  private lastRefetch = 0
  private refetching?: Promise<boolean>
  private trusted?: TrustedKey[]
  /** the dev key when it exists but is not trusted, to say why its deliveries fail */
  private untrustedDev?: KeyObject
  private lastDevLookup = 0

  private constructor(
    private readonly options: KeyOptions,
    private kick: KeyObject,
    public source: KeySource,
    private readonly dev: KeyObject | undefined,
  ) {}

  static async resolve(options: KeyOptions): Promise<PublicKeys> {
    const dev = options.acceptDevSignatures ? (await loadDevKey()).publicKey : undefined
    if (options.publicKeyFile) {
      return new PublicKeys(options, await readKeyFile(options.publicKeyFile), 'file', dev)
    }
    const now = options.now?.() ?? Date.now()
    const cached = options.cache === false ? undefined : await readCachedKey(options.apiUrl, now)
    if (cached) return new PublicKeys(options, cached, 'cache', dev)
    const fetched = await fetchKickKey(options.apiUrl).catch((error: Error) => error)
    if (fetched instanceof Error) {
      options.warn(`${fetched.message}; verifying with the public key from Kick's docs`)
      return new PublicKeys(options, publicKeyFromPem(KICK_PUBLIC_KEY_PEM), 'documented', dev)
    }
    if (options.cache !== false) await writeCachedKey(options.apiUrl, fetched.pem, options.warn)
    return new PublicKeys(options, fetched.key, 'fetched', dev)
  }

  keys(): TrustedKey[] {
    // Built once per key: the listener asks for every delivery.
    if (this.trusted?.[0]?.key !== this.kick) {
      this.trusted = [{ key: this.kick, owner: 'kick' }]
      if (this.dev) this.trusted.push({ key: this.dev, owner: 'dev' })
    }
    return this.trusted
  }

  /**
   * {@link verifyDelivery} with these keys; when the signature fails, once more after re-fetching Kick's key.
   * Synchronous unless it has to re-fetch, so a busy listener pays no promise per delivery.
   */
  verify(
    headers: DeliveryHeaders,
    rawBody: Buffer,
    options: VerifyOptions = {},
    rawHeaders?: readonly string[],
  ): Verification | Promise<Verification> {
    const first = verifyDelivery(headers, rawBody, this.keys(), options, rawHeaders)
    if (!mismatch(first)) return first
    if (this.signedByUntrustedDev(headers, rawBody)) return devNotAccepted(first)
    return (async () => {
      if ((await this.lookUpUntrustedDev()) && this.signedByUntrustedDev(headers, rawBody))
        return devNotAccepted(first)
      const changed = await this.refetchAfterFailure()
      return changed ? verifyDelivery(headers, rawBody, this.keys(), options, rawHeaders) : first
    })()
  }

  private signedByUntrustedDev(headers: DeliveryHeaders, rawBody: Buffer): boolean {
    const dev = this.untrustedDev
    return dev !== undefined && verifyDelivery(headers, rawBody, [{ key: dev, owner: 'dev' }]).ok
  }

  /**
   * Reads the dev key when it is not trusted and not known yet: `kick trigger` may have generated it after
   * this listener started (a newcomer's first try). At most every 5 s, so forged requests cannot make a
   * file read each.
   */
  private async lookUpUntrustedDev(): Promise<boolean> {
    if (this.dev || this.untrustedDev) return false
    const now = this.options.now?.() ?? Date.now()
    if (now - this.lastDevLookup < 5_000) return false
    this.lastDevLookup = now
    this.untrustedDev = await existingDevPublicKey()
    return this.untrustedDev !== undefined
  }

  /**
   * After a signature failed: fetch Kick's key again (it may have rotated), at most once an hour and once at
   * a time. True when a different key was fetched, so the caller verifies again.
   */
  refetchAfterFailure(): Promise<boolean> {
    if (this.source === 'file') return Promise.resolve(false)
    if (this.refetching) return this.refetching
    const now = this.options.now?.() ?? Date.now()
    if (this.lastRefetch && now - this.lastRefetch < REFETCH_INTERVAL_MS) return Promise.resolve(false)
    this.lastRefetch = now
    this.refetching = (async () => {
      try {
        const fetched = await fetchKickKey(this.options.apiUrl)
        if (fetched.key.equals(this.kick)) return false
        this.kick = fetched.key
        this.source = 'fetched'
        if (this.options.cache !== false)
          await writeCachedKey(this.options.apiUrl, fetched.pem, this.options.warn)
        return true
      } catch {
        return false
      } finally {
        this.refetching = undefined
      }
    })()
    return this.refetching
  }
}

/**
 * `kick webhook verify`: settled offline whenever it can be. With `--public-key-file`, that key (and the
 * development key when asked) and nothing else. Otherwise what needs no key of Kick's is settled first: a
 * malformed delivery, or one the development key signed (`--accept-dev-signatures`). Only then Kick's key:
 * the cached one when there is one (not re-fetched when it does not match: a saved delivery may be old),
 * fetched from `apiUrl` only when none is cached.
 */
export async function verifySavedDelivery(
  headers: DeliveryHeaders,
  rawBody: Buffer,
  options: KeyOptions,
  verifyOptions: VerifyOptions,
): Promise<Verification> {
  if (!options.publicKeyFile) {
    const local: TrustedKey[] = options.acceptDevSignatures
      ? [{ key: (await loadDevKey()).publicKey, owner: 'dev' }]
      : []
    const settled = verifyDelivery(headers, rawBody, local, verifyOptions)
    if (settled.ok || settled.rejection.reason !== SIGNATURE_MISMATCH) return settled
  }
  const keys = await PublicKeys.resolve(options)
  const result = verifyDelivery(headers, rawBody, keys.keys(), verifyOptions)
  if (!mismatch(result) || options.acceptDevSignatures) return result
  // signed by the development key, which is not trusted here: say how to accept it
  const dev = await existingDevPublicKey()
  const byDev = dev !== undefined && verifyDelivery(headers, rawBody, [{ key: dev, owner: 'dev' }]).ok
  return byDev ? devNotAccepted(result) : result
}

function devNotAccepted(result: Extract<Verification, { ok: false }>): Verification {
  return { ok: false, rejection: { ...result.rejection, reason: DEV_SIGNATURE_NOT_ACCEPTED } }
}

function mismatch(result: Verification): result is Extract<Verification, { ok: false }> {
  return !result.ok && result.rejection.status === 401 && result.rejection.reason === SIGNATURE_MISMATCH
}

async function readKeyFile(file: string): Promise<KeyObject> {
  let pem: string
  try {
    pem = await readFile(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read --public-key-file ${file}: ${(error as Error).message}`)
  }
  try {
    return publicKeyFromPem(pem)
  } catch {
    throw new UsageError(`--public-key-file ${file} is not a PEM public key`)
  }
}

/** One cache file per API URL: a mock's key never stands in for Kick's. */
export function keyCacheFile(apiUrl: string): string {
  const tag = createHash('sha256').update(apiUrl.replace(/\/+$/, '')).digest('hex').slice(0, 16)
  return join(cacheDir(), `public-key-${tag}.pem`)
}

async function readCachedKey(apiUrl: string, now: number): Promise<KeyObject | undefined> {
  const file = keyCacheFile(apiUrl)
  try {
    const { mtimeMs } = await stat(file)
    if (now - mtimeMs > KEY_CACHE_TTL_MS || mtimeMs - now > KEY_CACHE_TTL_MS) return undefined
    return publicKeyFromPem(await readFile(file, 'utf8'))
  } catch {
    return undefined
  }
}

async function writeCachedKey(apiUrl: string, pem: string, warn: (message: string) => void): Promise<void> {
  const file = keyCacheFile(apiUrl)
  try {
    await mkdir(cacheDir(), { recursive: true })
    await writeFileAtomic(file, pem, { mode: 0o644 })
  } catch (error) {
    warn(`could not cache the public key in ${cacheDir()}: ${(error as Error).message}`)
  }
}

/** `GET /public/v1/public-key` (no token), bounded by a timeout; Kick's edge may answer an HTML challenge. */
export async function fetchKickKey(apiUrl: string): Promise<{ pem: string; key: KeyObject }> {
  const url = apiUrl.replace(/\/+$/, '') + endpoints.publicKey.path
  let response: HttpResponse
  try {
    response = await httpRequest(url, {
      headers: { accept: 'application/json' },
      timeoutMs: FETCH_TIMEOUT_MS,
    })
  } catch (error) {
    throw new Error(`could not fetch the webhook public key from ${url} (${failureReason(error)})`)
  }
  const { text } = response
  if (response.status < 200 || response.status > 299) {
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirect not followed)' : ''
    throw new Error(`${url} answered ${response.status} for the webhook public key${redirect}`)
  }
  let pem: unknown
  try {
    pem = (JSON.parse(text) as { data?: { public_key?: unknown } }).data?.public_key
  } catch {
    throw new Error(`${url} answered something that is not JSON for the webhook public key`)
  }
  if (typeof pem !== 'string') throw new Error(`${url} answered no data.public_key`)
  try {
    return { pem, key: publicKeyFromPem(pem) }
  } catch {
    throw new Error(`${url} answered a public_key that is not a PEM public key`)
  }
}
