import { printable } from '../../src/cli/printable';

test('control characters from plans, tools and models are shown as U+FFFD; lines stay lines', () => {
  expect(printable('a\x1b[2Jb\x07c\x9bd\x7fe\x00f')).toBe('a\uFFFD[2Jb\uFFFDc\uFFFDd\uFFFDe\uFFFDf');
  expect(printable('one\r\ntwo\nthree\tfour\rfive')).toBe('one\ntwo\nthree four\uFFFDfive');
  expect(printable('发布 — é 👍')).toBe('发布 — é 👍');
});
