import { describe, expect, it } from 'vitest';
import { amountInWordsEn, bahtText } from './thai-baht-text.ts';

const MAX_INT64 = 9_223_372_036_854_775_807n;

describe('bahtText', () => {
  it.each([
    [0n, 'ศูนย์บาทถ้วน'],
    [1n, 'หนึ่งสตางค์'],
    [11n, 'สิบเอ็ดสตางค์'],
    [21n, 'ยี่สิบเอ็ดสตางค์'],
    [25n, 'ยี่สิบห้าสตางค์'],
    [99n, 'เก้าสิบเก้าสตางค์'],
    [100n, 'หนึ่งบาทถ้วน'],
    [101n, 'หนึ่งบาทหนึ่งสตางค์'],
    [150n, 'หนึ่งบาทห้าสิบสตางค์'],
    [1000n, 'สิบบาทถ้วน'],
    [1100n, 'สิบเอ็ดบาทถ้วน'],
    [1500n, 'สิบห้าบาทถ้วน'],
    [2000n, 'ยี่สิบบาทถ้วน'],
    [2100n, 'ยี่สิบเอ็ดบาทถ้วน'],
    [2200n, 'ยี่สิบสองบาทถ้วน'],
    [9100n, 'เก้าสิบเอ็ดบาทถ้วน'],
    [10000n, 'หนึ่งร้อยบาทถ้วน'],
    [10100n, 'หนึ่งร้อยเอ็ดบาทถ้วน'],
    [11000n, 'หนึ่งร้อยสิบบาทถ้วน'],
    [11100n, 'หนึ่งร้อยสิบเอ็ดบาทถ้วน'],
    [12000n, 'หนึ่งร้อยยี่สิบบาทถ้วน'],
    [100000n, 'หนึ่งพันบาทถ้วน'],
    [100100n, 'หนึ่งพันเอ็ดบาทถ้วน'],
    [123450n, 'หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์'],
    [1_000_000n, 'หนึ่งหมื่นบาทถ้วน'],
    [10_000_000n, 'หนึ่งแสนบาทถ้วน'],
    [50_005_000n, 'ห้าแสนห้าสิบบาทถ้วน'],
    [100_000_000n, 'หนึ่งล้านบาทถ้วน'],
    [100_000_100n, 'หนึ่งล้านเอ็ดบาทถ้วน'],
    [100_001_000n, 'หนึ่งล้านสิบบาทถ้วน'],
    [100_001_100n, 'หนึ่งล้านสิบเอ็ดบาทถ้วน'],
    [200_000_000n, 'สองล้านบาทถ้วน'],
    [1_100_000_000n, 'สิบเอ็ดล้านบาทถ้วน'],
    [2_000_002_100n, 'ยี่สิบล้านยี่สิบเอ็ดบาทถ้วน'],
    [2_100_000_000n, 'ยี่สิบเอ็ดล้านบาทถ้วน'],
    [10_100_000_000n, 'หนึ่งร้อยเอ็ดล้านบาทถ้วน'],
    [1_234_567_890n, 'สิบสองล้านสามแสนสี่หมื่นห้าพันหกร้อยเจ็ดสิบแปดบาทเก้าสิบสตางค์'],
    [100_100_000_000n, 'หนึ่งพันเอ็ดล้านบาทถ้วน'],
    [10n ** 14n, 'หนึ่งล้านล้านบาทถ้วน'],
    [10n ** 14n + 100n, 'หนึ่งล้านล้านเอ็ดบาทถ้วน'],
    [10n ** 14n + 10n ** 8n, 'หนึ่งล้านเอ็ดล้านบาทถ้วน'],
    [10n ** 20n, 'หนึ่งล้านล้านล้านบาทถ้วน'],
    [
      MAX_INT64,
      'เก้าหมื่นสองพันสองร้อยสามสิบสามล้านเจ็ดแสนสองหมื่นสามร้อยหกสิบแปดล้านห้าแสนสี่หมื่นเจ็ดพันเจ็ดร้อยห้าสิบแปดบาทเจ็ดสตางค์',
    ],
    [-123450n, 'ลบหนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์'],
    [-25n, 'ลบยี่สิบห้าสตางค์'],
  ])('%s satang → %s', (satang, words) => {
    expect(bahtText(satang)).toBe(words);
  });

  it('never writes หนึ่งสิบ, and reads a million times a number as that number then ล้าน', () => {
    for (let baht = 1n; baht < 2_000n; baht += 7n) {
      expect(bahtText(baht * 100n)).not.toContain('หนึ่งสิบ');
      expect(bahtText(baht * 100_000_000n)).toBe(bahtText(baht * 100n).replace(/บาทถ้วน$/, 'ล้านบาทถ้วน'));
    }
  });
});

describe('amountInWordsEn', () => {
  it.each([
    [0n, 'Zero baht only'],
    [1n, 'One satang'],
    [25n, 'Twenty-five satang'],
    [100n, 'One baht only'],
    [101n, 'One baht and one satang'],
    [1_300n, 'Thirteen baht only'],
    [2_000n, 'Twenty baht only'],
    [10_000n, 'One hundred baht only'],
    [11_500n, 'One hundred fifteen baht only'],
    [100_000n, 'One thousand baht only'],
    [100_100n, 'One thousand one baht only'],
    [123_450n, 'One thousand two hundred thirty-four baht and fifty satang'],
    [100_000_000n, 'One million baht only'],
    [1_234_567_890n, 'Twelve million three hundred forty-five thousand six hundred seventy-eight baht and ninety satang'],
    [10n ** 14n, 'One trillion baht only'],
    [
      MAX_INT64,
      'Ninety-two quadrillion two hundred thirty-three trillion seven hundred twenty billion three hundred sixty-eight million five hundred forty-seven thousand seven hundred fifty-eight baht and seven satang',
    ],
    [-100_000n, 'Minus one thousand baht only'],
  ])('%s satang → %s', (satang, words) => {
    expect(amountInWordsEn(satang)).toBe(words);
  });
});
