import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ExportError } from '../errors';

/**
 * The shared destinations' credentials at rest (seed §9.1): AES-256-GCM
 * under the team's master key, a random 96-bit nonce per value, the
 * destination id (and the credential's field) as additional authenticated
 * data, and the key's version stored with each value. The database holds
 * only sealed values; the key lives with each member (VS Code's
 * SecretStorage, the CLI's DEVGUIDE_STORE_KEY) and never in the database.
 *
 * Each sealed value also carries a key id: an HMAC of a constant under the
 * key (it reveals nothing usable about the key), so a wrong key is told
 * apart from a changed value before anything is decrypted.
 */

export const MASTER_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = 'aes-256-gcm';
/** The credential id/field the master key is kept under (SecretStorage: Set Team Store Key; CLI: DEVGUIDE_STORE_KEY). */
export const STORE_KEY_SECRET = { id: 'store', field: 'key' } as const;
export const STORE_KEY_ENV = 'DEVGUIDE_STORE_KEY';

export interface MasterKey {
  readonly version: number;
  /** 16 hex digits that name the key without revealing it. */
  readonly id: string;
  readonly bytes: Buffer;
}

/** One credential as the database keeps it. */
export const sealedValueSchema = z
  .object({
    alg: z.literal('A256GCM'),
    /** The master key's version. */
    v: z.number().int().min(1),
    /** The master key's id (keyIdOf). */
    kid: z.string().regex(/^[0-9a-f]{16}$/),
    /** base64: 12-byte nonce, ciphertext, 16-byte tag. */
    n: z.string(),
    c: z.string(),
    t: z.string(),
  })
  .strict();
export type SealedValue = z.infer<typeof sealedValueSchema>;

const KEY_FORMAT = `the base64 of ${MASTER_KEY_BYTES} random bytes (\`openssl rand -base64 32\`), optionally preceded by its version and a colon ("2:…" after a rotation)`;

function keyProblem(message: string): ExportError {
  return new ExportError('AUTH_EXPIRED', `The team store key is not valid: ${message}. It must be ${KEY_FORMAT}.`, {
    details: { destination: STORE_KEY_SECRET.id, field: STORE_KEY_SECRET.field },
    recoverable: true,
  });
}

/**
 * Reads a master key: `BASE64` (version 1) or `VERSION:BASE64`, the base64
 * (standard or URL-safe, padding optional) of exactly 32 bytes. Anything
 * else is refused: a key that is silently shortened or padded would seal
 * values no other member can open.
 */
export function parseMasterKey(text: string): MasterKey {
  const trimmed = text.trim();
  const match = /^(?:(\d{1,5}):)?([A-Za-z0-9+/_-]+={0,2})$/.exec(trimmed);
  if (!match) throw keyProblem('it is not base64 text');
  const version = match[1] === undefined ? 1 : Number(match[1]);
  if (!Number.isInteger(version) || version < 1 || version > 65_535) throw keyProblem('its version must be 1–65535');
  const encoded = (match[2] as string).replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const bytes = Buffer.from(encoded, 'base64');
  // Node's decoder skips what it cannot read: re-encoding shows whether every character was key.
  if (bytes.toString('base64').replace(/=+$/, '') !== encoded) throw keyProblem('it is not base64 text');
  if (bytes.length !== MASTER_KEY_BYTES) throw keyProblem(`it decodes to ${bytes.length} bytes, not ${MASTER_KEY_BYTES}`);
  return { version, id: keyIdOf(bytes), bytes };
}

/** A new random master key as a member would keep it. */
export function newMasterKeyText(version = 1): string {
  const encoded = randomBytes(MASTER_KEY_BYTES).toString('base64');
  return version === 1 ? encoded : `${version}:${encoded}`;
}

export function keyIdOf(bytes: Buffer): string {
  return createHmac('sha256', bytes).update('devguide-export team store key id').digest('hex').slice(0, 16);
}

function additionalData(destinationId: string, field: string): Buffer {
  return Buffer.from(`devguide-export/destination/${destinationId}/${field}`, 'utf8');
}

export function sealSecret(key: MasterKey, destinationId: string, field: string, plaintext: string): SealedValue {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.bytes, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(destinationId, field));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', v: key.version, kid: key.id, n: nonce.toString('base64'), c: ciphertext.toString('base64'), t: cipher.getAuthTag().toString('base64') };
}

/**
 * The clear value, or a coded error — never a wrong value: GCM checks the
 * tag over the ciphertext and the destination/field before anything is
 * returned. A different key (by version or id) is AUTH_EXPIRED (set the
 * right key); a value that fails its check under the right key was changed
 * in the database or moved from another destination: DESTINATION_CONFIG_INVALID.
 */
export function openSecret(key: MasterKey, destinationId: string, field: string, stored: unknown): string {
  const parsed = sealedValueSchema.safeParse(stored);
  if (!parsed.success) throw tampered(destinationId, field, 'it is not a sealed value');
  const sealed = parsed.data;
  if (sealed.v !== key.version || sealed.kid !== key.id) {
    throw new ExportError(
      'AUTH_EXPIRED',
      `The credential "${field}" of shared destination "${destinationId}" was sealed with team store key version ${sealed.v} (id ${sealed.kid}); your key is version ${key.version} (id ${key.id}). Ask a team member for the current key and set it (${STORE_KEY_ENV}, or "Set Team Store Key" in VS Code).`,
      { details: { destination: STORE_KEY_SECRET.id, field: STORE_KEY_SECRET.field, shared_destination: destinationId, sealed_key_version: sealed.v, key_version: key.version }, recoverable: true },
    );
  }
  const nonce = Buffer.from(sealed.n, 'base64');
  const tag = Buffer.from(sealed.t, 'base64');
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) throw tampered(destinationId, field, 'its nonce or tag has the wrong length');
  try {
    const decipher = createDecipheriv(ALGORITHM, key.bytes, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(destinationId, field));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.c, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw tampered(destinationId, field, 'it fails its integrity check');
  }
}

function tampered(destinationId: string, field: string, why: string): ExportError {
  return new ExportError(
    'DESTINATION_CONFIG_INVALID',
    `The stored credential "${field}" of shared destination "${destinationId}" cannot be used: ${why} (it was changed in the database, or copied from another destination). Nothing was sent. Its owner can store it again (devguide-export destinations add --replace).`,
    { details: { destination: destinationId, field }, recoverable: false },
  );
}
