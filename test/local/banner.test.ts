import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/create-handler.ts';
import { IMPORT_SOURCES } from '../../functions/import/model.ts';
import { localPaths } from '../../local/paths.ts';
import { bannerLines } from '../../local/start.ts';

const BASE_URL = 'http://127.0.0.1:3000';
const paths = localPaths('/tmp/cg-banner');

/** Whether a served route's path template (`/subjects/{uscc}`) matches a concrete path. */
function served(path: string): boolean {
  return apiRoutes.some(
    (route) =>
      route.method === 'GET' && new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
}

describe('the start banner', () => {
  it('suggests only routes that are served, not 501 ones', () => {
    // Act
    const text = bannerLines(
      { baseUrl: BASE_URL, paths, dynamoEndpoint: 'http://127.0.0.1:8000' },
      IMPORT_SOURCES,
    ).join('\n');
    const suggested = [...text.matchAll(/http:\/\/127\.0\.0\.1:3000(\/\S*)/g)].map((match) => match[1] ?? '');
    // Assess
    expect(suggested.sort()).toEqual([
      '/health',
      '/imports',
      '/openapi.json',
      '/subjects/914403001922038216',
    ]);
    for (const path of suggested) expect(served(path), path).toBe(true);
    for (const source of IMPORT_SOURCES) expect(text).toContain(source);
  });
});
