import { describe, expect, it } from 'vitest';
import { downloadFileName, sanitizeFileName } from './downloadName';

describe('downloadFileName', () => {
  it('joins pipeline and step with an en dash', () => {
    expect(downloadFileName('seattle-weather', 'by weather', 'csv')).toBe(
      'seattle-weather – by weather.csv',
    );
  });

  it('replaces characters file systems refuse and trims dots and spaces', () => {
    expect(downloadFileName('Seattle weather: warm days', 'a/b\\c*?', 'parquet')).toBe(
      'Seattle weather warm days – a b c.parquet',
    );
    expect(downloadFileName('..hidden..', ' x\t\ny ', 'arrow')).toBe('hidden – x y.arrow');
  });

  it('leaves out empty parts and falls back to "output"', () => {
    expect(downloadFileName('', 'sort', 'csv')).toBe('sort.csv');
    expect(downloadFileName('???', '...', 'csv')).toBe('output.csv');
  });

  it('keeps names short and whole characters', () => {
    const name = downloadFileName('é'.repeat(200), 'step', 'csv');
    expect(name).toBe(`${'é'.repeat(120)}.csv`);
  });
});

describe('sanitizeFileName', () => {
  it('keeps letters of any script, digits and punctuation that is safe', () => {
    expect(sanitizeFileName('Météo — 東京 (2024) #1')).toBe('Météo — 東京 (2024) #1');
  });
});
