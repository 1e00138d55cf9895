import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, inRange, parseVersion, sameMajorMinor, v } from '../../server/engine/versions';

test('parses every documented form', () => {
  assert.deepEqual(parseVersion('8.6(3)')!.parts, [8, 6, 3]);
  assert.deepEqual(parseVersion('9.0.2.10000-4')!.parts, [9, 0, 2, 10000, 4]);
  assert.deepEqual(parseVersion('5.1.0.b.26'), { parts: [5, 1, 0], build: 26, text: '5.1.0.b.26' });
  assert.deepEqual(parseVersion('4.1(3)')!.parts, [4, 1, 3]);
  assert.deepEqual(parseVersion('3.2')!.parts, [3, 2]);
  assert.deepEqual(parseVersion(8.5)!.parts, [8, 5]);
  assert.deepEqual(parseVersion('4.16')!.parts, [4, 16]);
  assert.deepEqual(parseVersion('8.6(1a)')!.parts, [8, 6, 1]);
  for (const bad of ['', '5', 'x.y', '5.1.', '8.6()', undefined]) assert.equal(parseVersion(bad), undefined, String(bad));
});

test('compares numerically, part by part', () => {
  assert.ok(compareVersions(v('5.10'), v('5.9')) > 0, '5.10 is after 5.9 (not 5.1)');
  assert.ok(compareVersions(v('4.13'), v('4.16')) < 0);
  assert.equal(compareVersions(v('8.6(3)'), v('8.6.3.10000-1'), 3), 0);
  assert.ok(compareVersions(v('8.6(3)'), v('8.6.3.10000-1')) < 0, 'all parts: the long form is more precise');
  assert.equal(compareVersions(v('4.0'), v('4.0.0')), 0);
  assert.equal(compareVersions(v('5.1.0.b.26'), v('5.1.0')), 0, 'ACNS build ignored');
  assert.ok(inRange(v('8.6(4)'), v('8.0(1)'), v('8.6(4)')));
  assert.ok(!inRange(v('8.6(5)'), v('8.0(1)'), v('8.6(4)')));
  assert.ok(inRange(v('8.5.1.10000-3'), v('8.0(1)'), v('8.6(4)')));
  assert.ok(sameMajorMinor(v('9.0.2.10000-4'), v('9.0(1)')));
  assert.ok(!sameMajorMinor(v('8.6(4)'), v('9.0(1)')));
});
