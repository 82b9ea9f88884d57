import { chunkText } from '../../src/plan';

test('chunks join back to the text and never split a surrogate pair (each chunk must survive UTF-8 on its own)', () => {
  const text = `ab${'😀'.repeat(5)}c`;
  for (const size of [2, 3, 4, 100]) {
    const chunks = chunkText(text, size);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(size);
      expect(Buffer.from(chunk, 'utf8').toString('utf8')).toBe(chunk);
    }
  }
  expect(chunkText('', 4)).toEqual(['']);
});
