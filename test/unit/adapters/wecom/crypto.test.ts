import { describe, expect, it } from 'vitest';
import { WeComCrypto } from '../../../../adapters/wecom/crypto.js';

// WeCom's published sample (WXBizMsgCrypt): Token, EncodingAESKey, CorpID and a URL-verification request.
const TOKEN = 'QDG6eK';
const AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const CORP_ID = 'wx5823bf96d3bd56c7';
const ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';

describe('WeCom callback crypto', () => {
  const crypto = new WeComCrypto(TOKEN, AES_KEY);

  it('verifies and decrypts the documented URL-verification sample', () => {
    expect(crypto.signature('1409659589', '263014780', ECHOSTR)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(crypto.verify('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', '1409659589', '263014780', ECHOSTR)).toBe(true);
    expect(crypto.decrypt(ECHOSTR)).toEqual({ message: '1616140317555161061', receiveId: CORP_ID });
  });

  it('round-trips a message with 32-byte PKCS#7 padding, for the CorpID and for the robot ("")', () => {
    const xml = '<xml><Content><![CDATA[门诊打印机卡纸]]></Content></xml>';
    expect(crypto.decrypt(crypto.encrypt(xml, CORP_ID))).toEqual({ message: xml, receiveId: CORP_ID });
    expect(crypto.decrypt(crypto.encrypt('{"msgid":"1"}', ''))).toEqual({ message: '{"msgid":"1"}', receiveId: '' });
    expect(Buffer.from(crypto.encrypt('x'.repeat(12), CORP_ID), 'base64').length % 32).toBe(0);
  });

  it('refuses a forged signature and a key that is not 43 characters', () => {
    expect(crypto.verify('0'.repeat(40), '1409659589', '263014780', ECHOSTR)).toBe(false);
    expect(() => new WeComCrypto(TOKEN, 'short')).toThrow(/43 characters/);
  });
});
