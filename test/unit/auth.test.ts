import { describe, expect, it } from 'vitest';
import { canSeeDistrict, ownsListing, scopeFromClaims } from '#shared/auth.ts';
import { UnauthorizedError } from '#shared/errors.ts';

describe('scopeFromClaims', () => {
  it('reads plain and Cognito custom claims alike', () => {
    expect(scopeFromClaims({ sub: 'a', role: 'district', district: '130102' })).toEqual({
      role: 'district',
      principal: 'a',
      district: '130102',
    });
    expect(
      scopeFromClaims({ sub: 'b', 'custom:role': 'department', 'custom:department': ' 长安区人民法院 ' }),
    ).toEqual({
      role: 'department',
      principal: 'b',
      department: '长安区人民法院',
    });
  });

  it('refuses tokens without a known role, a district token without its district, a malformed district', () => {
    expect(() => scopeFromClaims(undefined)).toThrow(UnauthorizedError);
    expect(() => scopeFromClaims({ role: 'admin' })).toThrow(UnauthorizedError);
    expect(() => scopeFromClaims({ role: 'district' })).toThrow(UnauthorizedError);
    expect(() => scopeFromClaims({ role: 'department' })).toThrow(UnauthorizedError);
    expect(() => scopeFromClaims({ role: 'district', district: '1301' })).toThrow(UnauthorizedError);
  });

  it('normalises a department name written with full-width characters', () => {
    const scope = scopeFromClaims({ role: 'department', department: '长安区（人民法院）' });
    expect(ownsListing(scope, { department: '长安区(人民法院)', district: '130102' })).toBe(true);
  });
});

describe('canSeeDistrict', () => {
  it('limits a district token to its district and lets the city see all', () => {
    const district = scopeFromClaims({ role: 'district', district: '130102' });
    const city = scopeFromClaims({ role: 'city' });
    expect(canSeeDistrict(district, '130102')).toBe(true);
    expect(canSeeDistrict(district, '130104')).toBe(false);
    expect(canSeeDistrict(city, '130104')).toBe(true);
  });

  it('limits a department token with a district to that district', () => {
    const scope = scopeFromClaims({ role: 'department', department: '税务局', district: '130104' });
    expect(ownsListing(scope, { department: '税务局', district: '130104' })).toBe(true);
    expect(ownsListing(scope, { department: '税务局', district: '130102' })).toBe(false);
  });
});
