import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { signatureMatches } from '../shared/signature.js';

/**
 * WeCom's callback security (the documented WXBizMsgCrypt scheme): msg_signature is the sha1 of
 * the sorted token, timestamp, nonce and ciphertext; the payload is AES-256-CBC with the key
 * base64(EncodingAESKey + "="), IV its first 16 bytes, PKCS#7 padding to 32-byte blocks, and
 * plaintext = 16 random bytes + 4-byte length + message + receive id.
 */
export class WeComCrypto {
  private readonly key: Buffer;

  constructor(
    private readonly token: string,
    encodingAesKey: string,
  ) {
    if (encodingAesKey.length !== 43) throw new Error('WECOM_AES_KEY (EncodingAESKey) must be 43 characters');
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
    if (this.key.length !== 32) throw new Error('WECOM_AES_KEY does not decode to 32 bytes');
  }

  signature(timestamp: string, nonce: string, encrypted: string): string {
    return createHash('sha1').update([this.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  }

  verify(signature: string, timestamp: string, nonce: string, encrypted: string): boolean {
    return signatureMatches(this.signature(timestamp, nonce, encrypted), signature);
  }

  /** The message and the receive id it was encrypted for (the CorpID, or "" for the smart robot). */
  decrypt(encrypted: string): { message: string; receiveId: string } {
    const body = this.decryptFile(Buffer.from(encrypted, 'base64')).subarray(16);
    const length = body.readUInt32BE(0);
    if (length > body.length - 4) throw new Error('bad message length');
    return { message: body.subarray(4, 4 + length).toString('utf8'), receiveId: body.subarray(4 + length).toString('utf8') };
  }

  /** AES-256-CBC with the key and its first 16 bytes as IV, PKCS#7 to 32 bytes: callbacks and the robot's files. */
  decryptFile(data: Buffer): Buffer {
    if (data.length === 0 || data.length % 16 !== 0) throw new Error('encrypted file has a bad length');
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(data), decipher.final()]);
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > 32) throw new Error('bad padding');
    return plain.subarray(0, plain.length - pad);
  }

  encrypt(message: string, receiveId: string, random: Buffer = randomBytes(16)): string {
    const text = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length, 0);
    const body = Buffer.concat([random, length, text, Buffer.from(receiveId, 'utf8')]);
    const pad = 32 - (body.length % 32);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }
}
