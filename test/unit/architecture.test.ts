import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Packages the pure core must not depend on: platforms, the database driver, schedulers, logging. */
const FORBIDDEN_PACKAGES = [
  /^@slack\//,
  /^botbuilder(\/|$)/,
  /^drizzle-orm(\/|$)/,
  /^better-sqlite3$/,
  /^node-cron$/,
  /^pino(\/|$)/,
];
/** Folders (relative to the repository root) the core must not reach into. */
const FORBIDDEN_FOLDERS = ['adapters', 'src/db'];

function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every module specifier in a source: static and side-effect imports, re-exports, `import()` and `require()`. */
function moduleSpecifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
}

/** The forbidden imports of a file at `filePath` (relative to the root) with text `source`. */
function forbiddenImports(filePath: string, source: string): string[] {
  return moduleSpecifiers(source).filter((specifier) => {
    if (specifier.startsWith('.')) {
      const target = relative(ROOT, resolve(ROOT, dirname(filePath), specifier))
        .split('\\')
        .join('/');
      return FORBIDDEN_FOLDERS.some((folder) => target === folder || target.startsWith(`${folder}/`));
    }
    return FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier));
  });
}

const coreFiles = [...tsFilesUnder('src/domain'), ...tsFilesUnder('src/app')];

describe('the core (src/domain, src/app) stays platform- and database-neutral', () => {
  it('finds the core sources to check', () => {
    expect(coreFiles).toContain(join('src', 'domain', 'transitions.ts'));
    expect(coreFiles).toContain(join('src', 'app', 'deliver-outbox.ts'));
  });

  it.each(coreFiles)('%s imports no platform, database, scheduler or logger code', (file) => {
    expect(forbiddenImports(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });
});

describe('the import checker itself', () => {
  const sample = [
    "import { App } from '@slack/bolt';",
    "import type { WebClient } from '@slack/web-api';",
    "import { eq } from 'drizzle-orm';",
    "import Database from 'better-sqlite3';",
    "import cron from 'node-cron';",
    "import { pino } from 'pino';",
    "export { TeamsActivityHandler } from 'botbuilder';",
    "import { renderBlockKit } from '../../adapters/slack/render-block-kit.js';",
    "import { openSqliteStore } from '../db/sqlite/open-sqlite-store.js';",
    "const lazy = await import('@slack/types');",
    "import 'pino';",
    // Allowed: the core's own modules, ports and node built-ins.
    "import { randomBytes } from 'node:crypto';",
    "import type { Store } from '../ports/store.js';",
    "import { EscalatorError } from '../domain/errors.js';",
    "import { x } from './dbx.js';",
  ].join('\n');

  it('reports every forbidden import in a sample file and nothing else', () => {
    expect(forbiddenImports('src/app/sample.ts', sample)).toEqual([
      '@slack/bolt',
      '@slack/web-api',
      'drizzle-orm',
      'better-sqlite3',
      'node-cron',
      'pino',
      'botbuilder',
      '../../adapters/slack/render-block-kit.js',
      '../db/sqlite/open-sqlite-store.js',
      'pino',
      '@slack/types',
    ]);
  });

  it('passes a clean sample', () => {
    expect(forbiddenImports('src/domain/sample.ts', "import { truncate } from './text.js';")).toEqual([]);
  });
});

/** Files under `src/` outside `src/config` that mention `process.env`. */
function envReaders(files: { path: string; source: string }[]): string[] {
  return files
    .filter((f) => !f.path.split('\\').join('/').startsWith('src/config/'))
    .filter((f) => f.source.includes('process.env'))
    .map((f) => f.path);
}

describe('only src/config reads the environment', () => {
  const srcFiles = tsFilesUnder('src').map((path) => ({
    path,
    source: readFileSync(join(ROOT, path), 'utf8'),
  }));

  it('no file in src/ outside src/config (main.ts included) mentions process.env', () => {
    expect(srcFiles.map((f) => f.path)).toContain(join('src', 'main.ts'));
    expect(envReaders(srcFiles)).toEqual([]);
  });

  it('the check catches a sample that reads process.env', () => {
    expect(
      envReaders([
        { path: 'src/main.ts', source: 'const port = Number(process.env.PORT);' },
        { path: 'src/config/env.ts', source: 'parseEnv(process.env)' },
        { path: 'src/app/clean.ts', source: 'export const x = 1;' },
      ]),
    ).toEqual(['src/main.ts']);
  });
});
