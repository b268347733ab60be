import { createPublicKey, sign, verify, type KeyLike, type KeyObject } from 'node:crypto'

/**
 * Kick's webhook signature (REFERENCE.md §4): RSASSA-PKCS1-v1_5 with SHA-256 over
 * `<message id>.<timestamp>.<raw body bytes>`, base64 in `Kick-Event-Signature`. The body is used exactly as
 * received, never re-serialized.
 */
export function signedBytes(messageId: string, timestamp: string, body: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`${messageId}.${timestamp}.`, 'utf8'),
    Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  ])
}

export function signDelivery(
  privateKey: KeyLike,
  messageId: string,
  timestamp: string,
  body: Buffer | string,
): string {
  return sign('sha256', signedBytes(messageId, timestamp, body), privateKey).toString('base64')
}

/** True when `signature` (base64) is a valid signature of the delivery under `publicKey`. */
export function verifySignature(
  publicKey: KeyObject,
  messageId: string,
  timestamp: string,
  body: Buffer | string,
  signature: string,
): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false
  try {
    return verify(
      'sha256',
      signedBytes(messageId, timestamp, body),
      publicKey,
      Buffer.from(signature, 'base64'),
    )
  } catch {
    return false
  }
}

/** Kick's public key as published in its docs: the fallback when `GET /public/v1/public-key` cannot be reached. */
export const KICK_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq/+l1WnlRrGSolDMA+A8
6rAhMbQGmQ2SapVcGM3zq8ANXjnhDWocMqfWcTd95btDydITa10kDvHzw9WQOqp2
MZI7ZyrfzJuz5nhTPCiJwTwnEtWft7nV14BYRDHvlfqPUaZ+1KR4OCaO/wWIk/rQ
L/TjY0M70gse8rlBkbo2a8rKhu69RQTRsoaf4DVhDPEeSeI5jVrRDGAMGL3cGuyY
6CLKGdjVEM78g3JfYOvDU/RvfqD7L89TZ3iN94jrmWdGz34JNlEI5hqK8dd7C5EF
BEbZ5jgB8s8ReQV8H+MkuffjdAj3ajDDX3DOJMIut1lBrUVD1AaSrGCKHooWoL2e
twIDAQAB
-----END PUBLIC KEY-----
`

export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem)
}
