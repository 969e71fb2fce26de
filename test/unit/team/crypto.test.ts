import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { ExportError } from '../../../server/src/errors';
import { newMasterKeyText, openSecret, parseMasterKey, sealSecret, type SealedValue } from '../../../server/src/team/crypto';

const code = (expected: string) => (e: ExportError) => e.code === expected;

/** Flips one bit of a base64 field. */
function flipped(encoded: string, byte = 0): string {
  const bytes = Buffer.from(encoded, 'base64');
  bytes[byte % bytes.length] = (bytes[byte % bytes.length] as number) ^ 0x01;
  return bytes.toString('base64');
}

describe('team/crypto: shared credentials sealed with AES-256-GCM', () => {
  const key = parseMasterKey(newMasterKeyText());

  it('round-trips any text, with a fresh 96-bit nonce each time and the key version and id on each value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (secret) => {
        const sealed = sealSecret(key, 'kb', 'password', secret);
        assert.equal(openSecret(key, 'kb', 'password', sealed), secret);
      }),
      { numRuns: 200 },
    );
    const a = sealSecret(key, 'kb', 'password', 's3cret-value');
    const b = sealSecret(key, 'kb', 'password', 's3cret-value');
    assert.equal(Buffer.from(a.n, 'base64').length, 12);
    assert.equal(Buffer.from(a.t, 'base64').length, 16);
    assert.notEqual(a.n, b.n);
    assert.notEqual(a.c, b.c);
    assert.equal(a.v, 1);
    assert.equal(a.kid, key.id);
    assert.equal(a.alg, 'A256GCM');
    assert.ok(!JSON.stringify(a).includes('s3cret-value'));
  });

  it('refuses a changed ciphertext, nonce or tag (DESTINATION_CONFIG_INVALID), never returning other text', () => {
    const sealed = sealSecret(key, 'kb', 'password', 'hunter2-hunter2');
    for (const field of ['c', 'n', 't'] as const) {
      for (const at of [0, 5, 11]) {
        const changed: SealedValue = { ...sealed, [field]: flipped(sealed[field], at) };
        assert.throws(() => openSecret(key, 'kb', 'password', changed), code('DESTINATION_CONFIG_INVALID'), `${field}[${at}]`);
      }
    }
    assert.throws(() => openSecret(key, 'kb', 'password', { ...sealed, n: Buffer.alloc(8).toString('base64') }), code('DESTINATION_CONFIG_INVALID'));
    assert.throws(() => openSecret(key, 'kb', 'password', { ...sealed, t: '' }), code('DESTINATION_CONFIG_INVALID'));
    assert.throws(() => openSecret(key, 'kb', 'password', 'not sealed'), code('DESTINATION_CONFIG_INVALID'));
    assert.throws(() => openSecret(key, 'kb', 'password', { ...sealed, extra: 1 }), code('DESTINATION_CONFIG_INVALID'));
  });

  it('binds each value to its destination and field (the additional data): moved elsewhere it is refused', () => {
    const sealed = sealSecret(key, 'kb', 'password', 'hunter2-hunter2');
    assert.throws(() => openSecret(key, 'other', 'password', sealed), code('DESTINATION_CONFIG_INVALID'));
    assert.throws(() => openSecret(key, 'kb', 'token', sealed), code('DESTINATION_CONFIG_INVALID'));
  });

  it('a wrong key, or another key version, is AUTH_EXPIRED naming the versions and ids (no value)', () => {
    const sealed = sealSecret(key, 'kb', 'password', 'hunter2-hunter2');
    const other = parseMasterKey(newMasterKeyText());
    assert.throws(
      () => openSecret(other, 'kb', 'password', sealed),
      (e: ExportError) => e.code === 'AUTH_EXPIRED' && e.message.includes(key.id) && e.message.includes(other.id) && !e.message.includes('hunter2') && e.details?.['destination'] === 'store',
    );
    const sameBytesV2 = parseMasterKey(`2:${key.bytes.toString('base64')}`);
    assert.equal(sameBytesV2.version, 2);
    assert.throws(() => openSecret(sameBytesV2, 'kb', 'password', sealed), (e: ExportError) => e.code === 'AUTH_EXPIRED' && /version 1/.test(e.message) && /version 2/.test(e.message));
    // A wrong key that claims the right id still fails GCM's check: refused, not decrypted to noise.
    const forged = { ...other, id: key.id, version: key.version };
    assert.throws(() => openSecret(forged, 'kb', 'password', sealed), code('DESTINATION_CONFIG_INVALID'));
    // A rotated key seals with its version.
    assert.equal(sealSecret(sameBytesV2, 'kb', 'password', 'x').v, 2);
  });

  it('DEVGUIDE_STORE_KEY: base64 (or URL-safe base64) of exactly 32 bytes, optionally VERSION:; anything else is a clear AUTH_EXPIRED', () => {
    const raw = randomBytes(32);
    assert.deepEqual(parseMasterKey(raw.toString('base64')).bytes, raw);
    assert.deepEqual(parseMasterKey(` ${raw.toString('base64url')}\n`).bytes, raw);
    assert.equal(parseMasterKey(`7:${raw.toString('base64')}`).version, 7);
    const refused = [
      '',
      'hunter2',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      raw.toString('hex'),
      `${raw.toString('base64')}!`,
      `0:${raw.toString('base64')}`,
      `70000:${raw.toString('base64')}`,
      // Non-canonical trailing bits would decode to the same bytes as another text.
      // ('B' sets one of the two bits the 43rd character carries beyond the 256.)
      `${raw.toString('base64').slice(0, 42)}B=`,
    ];
    for (const text of refused) {
      assert.throws(
        () => parseMasterKey(text),
        (e: ExportError) => e.code === 'AUTH_EXPIRED' && /base64 of 32 random bytes/.test(e.message) && (text.length < 8 || !e.message.includes(text)),
        JSON.stringify(text),
      );
    }
  });
});
