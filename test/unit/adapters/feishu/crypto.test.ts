import { describe, expect, it } from 'vitest';
import { decryptFeishu, encryptFeishu, feishuSignature } from '../../../../adapters/feishu/crypto.js';

describe('Feishu event crypto', () => {
  it('decrypts the documentation test vector', () => {
    expect(decryptFeishu('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
  });

  it('round-trips what it encrypts, and refuses a payload of the wrong length', () => {
    expect(decryptFeishu(encryptFeishu('{"a":"工单"}', 'k'), 'k')).toBe('{"a":"工单"}');
    expect(() => decryptFeishu('c2hvcnQ=', 'k')).toThrow(/bad length/);
  });

  it('signs timestamp + nonce + key + the raw body with sha256, byte for byte', () => {
    expect(feishuSignature('1', 'n', 'key', '{}')).toBe('3b715c098c53c7d97ec4b4d68731aa18de690130d2ff29bc4e66205cc27b7d0b');
    expect(feishuSignature('1', 'n', 'key', Buffer.from('{}'))).toBe(feishuSignature('1', 'n', 'key', '{}'));
    expect(feishuSignature('1', 'n', 'key', '{ }')).not.toBe(feishuSignature('1', 'n', 'key', '{}'));
  });
});
