/** The trail's pure part: which facts changed between two images, and the entry a change makes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDITED_TYPES, changedFacts, trailEntryOf } from '#domain/trail.ts';

const by = { principal: 'p', role: 'city', cause: { kind: 'request', id: 'r1' } } as const;
const streamTime = new Date('2026-11-30T01:02:03Z');

const value = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.oneof(fc.string(), fc.integer())),
);
const image = fc.dictionary(
  fc.constantFrom(
    'name',
    'district',
    'status',
    'flags',
    'reason',
    'version',
    'updatedAt',
    'GSI1PK',
    'changedBy',
  ),
  value,
);

/** The same value with every map's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([name, inner]) => [name, reversed(inner)]),
  );
}

describe('changedFacts', () => {
  it('finds nothing between an image and itself, whatever the order of its maps', () => {
    fc.assert(
      fc.property(image, (item) => {
        const reordered = reversed(item) as Record<string, unknown>;
        expect(changedFacts(item, item)).toEqual({});
        expect(changedFacts(item, reordered)).toEqual({});
      }),
    );
  });

  it('names exactly the facts that differ, with before and after, never bookkeeping', () => {
    fc.assert(
      fc.property(image, image, (before, after) => {
        const changes = changedFacts(before, after);
        for (const [name, change] of Object.entries(changes)) {
          expect(['version', 'updatedAt', 'GSI1PK', 'changedBy']).not.toContain(name);
          expect(change.before).toEqual(before[name]);
          expect(change.after).toEqual(after[name]);
          expect(JSON.stringify(before[name])).not.toBe(JSON.stringify(after[name]));
        }
        for (const name of ['name', 'district', 'status', 'reason']) {
          const differs = JSON.stringify(before[name]) !== JSON.stringify(after[name]);
          expect(name in changes).toBe(differs);
        }
      }),
    );
  });
});

describe('trailEntryOf', () => {
  const subject = { PK: 'SUBJ#1', SK: 'PROFILE', type: 'subject', name: '甲公司', version: 1, changedBy: by };

  it('records a new item as created, with who and why, at its own updatedAt', () => {
    const entry = trailEntryOf({
      newImage: { ...subject, updatedAt: '2026-11-30T01:02:03.456Z' },
      streamTime,
    });
    expect(entry).toEqual({
      itemType: 'subject',
      itemKey: { PK: 'SUBJ#1', SK: 'PROFILE' },
      event: 'created',
      version: 1,
      at: '2026-11-30T01:02:03.456Z',
      changedBy: by,
      changes: { name: { after: '甲公司' } },
    });
  });

  it('records nothing for a write that changed no fact, an item type not audited, or a removal', () => {
    expect(
      trailEntryOf({ oldImage: subject, newImage: { ...subject, version: 2 }, streamTime }),
    ).toBeUndefined();
    expect(
      trailEntryOf({ newImage: { PK: 'IMPORTHASH#x', SK: 'HASH', type: 'import-hash' }, streamTime }),
    ).toBeUndefined();
    expect(trailEntryOf({ newImage: { ...subject, type: 'audit' }, streamTime })).toBeUndefined();
    expect(trailEntryOf({ oldImage: subject, streamTime })).toBeUndefined();
  });

  it('never audits its own entries', () => {
    expect(AUDITED_TYPES).not.toContain('audit');
  });
});
