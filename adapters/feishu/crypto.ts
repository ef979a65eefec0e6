import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Feishu's event security, implemented over the raw request bytes (the SDK's own check hashes a
 * re-serialized body, which does not match what Feishu signed).
 */

/** X-Lark-Signature: hex sha256 of timestamp + nonce + encrypt key + raw body. */
export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey)
    .update(rawBody)
    .digest('hex');
}

function aesKey(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey).digest();
}

/** AES-256-CBC, key sha256(encrypt key), IV the first 16 bytes of the base64 payload. */
export function decryptFeishu(encrypt: string, encryptKey: string): string {
  const data = Buffer.from(encrypt, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('encrypted payload has a bad length');
  const decipher = createDecipheriv('aes-256-cbc', aesKey(encryptKey), data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}

/** The inverse of decryptFeishu, as Feishu encrypts (used by the test stand-in). */
export function encryptFeishu(plain: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', aesKey(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}
