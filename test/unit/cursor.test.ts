import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CursorContext, signCursor, verifyCursor } from '#shared/http/cursor.ts';

const secret = randomBytes(32);
const city: CursorContext = { route: 'GET /imports', scope: { role: 'city' } };
const court: CursorContext = {
  route: 'GET /imports',
  scope: { role: 'department', department: '长安区人民法院' },
};
const position = fc
  .uint8Array({ minLength: 1, maxLength: 200 })
  .map((bytes) => Buffer.from(bytes).toString('base64url'));

describe('signed cursors', () => {
  it('give back the position they were signed with, for the same query and scope', () => {
    fc.assert(
      fc.property(position, (value) => {
        expect(verifyCursor(secret, city, signCursor(secret, city, value))).toBe(value);
      }),
    );
  });

  it('refuse a cursor of another scope, another route or another key', () => {
    fc.assert(
      fc.property(position, (value) => {
        const cursor = signCursor(secret, city, value);
        expect(verifyCursor(secret, court, cursor)).toBeUndefined();
        expect(
          verifyCursor(secret, { ...city, route: 'GET /subjects/{uscc}#history' }, cursor),
        ).toBeUndefined();
        expect(verifyCursor(randomBytes(32), city, cursor)).toBeUndefined();
      }),
    );
  });

  it('refuse a cursor with any one character changed', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(position, fc.nat(), fc.constantFrom(...alphabet), (value, at, replacement) => {
        const cursor = signCursor(secret, court, value);
        const index = at % cursor.length;
        fc.pre(cursor[index] !== replacement);
        const altered = `${cursor.slice(0, index)}${replacement}${cursor.slice(index + 1)}`;
        expect(verifyCursor(secret, court, altered)).toBeUndefined();
      }),
    );
  });

  it('refuse any string this key did not sign', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (garbage) => {
        expect(verifyCursor(secret, city, garbage)).toBeUndefined();
      }),
    );
  });

  it('keep department names apart: no two scopes share a signature', () => {
    // a department whose name runs into the district must not sign what another scope signs
    const a: CursorContext = {
      route: 'GET /imports',
      scope: { role: 'department', department: 'x', district: '130102' },
    };
    const b: CursorContext = { route: 'GET /imports', scope: { role: 'department', department: 'x130102' } };
    expect(verifyCursor(secret, b, signCursor(secret, a, 'AAAA'))).toBeUndefined();
  });
});
