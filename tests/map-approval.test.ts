/**
 * The map approval number (审图号) per edition (pipeline/locale/map-approval.ts), issue 15: the world
 * report's English edition printed "Map approval number: GS(2026)0000 号" from book.yaml's
 * `press.mapApproval: GS(2026)0000号`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapApprovalNumber } from '../pipeline/locale/map-approval.ts';

test('a Latin-script edition prints the number without the Chinese counter 号 (號)', () => {
  assert.equal(mapApprovalNumber('GS(2026)0000号', false), 'GS(2026)0000');
  assert.equal(mapApprovalNumber('GS(2026)0000 號', false), 'GS(2026)0000');
  assert.equal(mapApprovalNumber('GS(2024)1234', false), 'GS(2024)1234');
});

test('a Chinese edition prints the number as given', () => {
  assert.equal(mapApprovalNumber('GS(2026)0000号', true), 'GS(2026)0000号');
});
