import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';

/** The parts of a Teams app manifest (schema v1.29) this test looks at. */
interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  bots: {
    botId: string;
    scopes: string[];
    isNotificationOnly?: boolean;
    commandLists?: { scopes: string[]; commands: { title: string; description?: string }[] }[];
  }[];
  composeExtensions: {
    botId: string;
    commands: { id: string; type?: string; title: string; context?: string[]; fetchTask?: boolean }[];
  }[];
  authorization?: { permissions?: { resourceSpecific?: { name: string; type: string }[] } };
  webApplicationInfo?: { id: string; resource?: string };
  validDomains?: string[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEAMS_DIR = join(ROOT, 'manifest', 'teams');
const SCRIPT = join(ROOT, 'scripts', 'teams-package.ts');
/** tsx's loader as a file URL, so the script can run from any working directory. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const manifestText = readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8');
const manifest = JSON.parse(manifestText) as TeamsManifest;

const APP_ID = '0f3c5d2e-8b1a-4c6d-9e7f-123456789abc';
const HOST = 'escalator.example.com';

/** Width, height, bit depth and colour type from a PNG's IHDR chunk. */
function pngHeader(file: string): { width: number; height: number; bitDepth: number; colorType: number } {
  const png = readFileSync(join(TEAMS_DIR, file));
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png.readUInt8(24),
    colorType: png.readUInt8(25),
  };
}

/** Reads a zip's central directory and inflates each entry (stored or deflated), checking its CRC. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(endAt, 'no end of central directory record').toBeGreaterThanOrEqual(0);
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    expect(zip.readUInt32LE(localAt)).toBe(0x04034b50);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const packed = zip.subarray(dataAt, dataAt + packedSize);
    expect([0, 8]).toContain(method);
    const data = method === 8 ? inflateRawSync(packed) : Buffer.from(packed);
    expect(data.length, name).toBe(size);
    expect(crc32(data), name).toBe(crc);
    entries.set(name, data);
  }
  return entries;
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'escalator-teams-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the packaging script as `npm run teams:package` does, from `cwd`, with only the given env. */
function runPackager(env: Record<string, string>, cwd = tempDir()) {
  const result = spawnSync(process.execPath, ['--import', TSX, SCRIPT], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('manifest/teams/manifest.json', () => {
  it('is a v1.29 manifest whose app and bot ids are the {{TEAMS_APP_ID}} placeholder', () => {
    expect(manifest.$schema).toBe(
      'https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json',
    );
    expect(manifest.manifestVersion).toBe('1.29');
    expect(manifest.id).toBe('{{TEAMS_APP_ID}}');
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: '{{TEAMS_APP_ID}}', scopes: ['team', 'personal'] });
    expect(manifest.bots[0]?.isNotificationOnly).toBe(false);
    expect(manifest.validDomains).toEqual(['{{HOST}}']);
  });

  it('lists escalate, help and digest as bot commands in team scope', () => {
    const teamCommands = manifest.bots[0]?.commandLists?.find((list) => list.scopes.includes('team'));
    expect(teamCommands?.commands.map((c) => c.title)).toEqual(
      expect.arrayContaining(['escalate', 'help', 'digest']),
    );
    expect(teamCommands?.commands.find((c) => c.title === 'escalate')?.description).toContain(
      'escalate <reason>',
    );
  });

  it('offers "mine" as a bot command in personal chats', () => {
    const personal = manifest.bots[0]?.commandLists?.find((list) => list.scopes.includes('personal'));
    expect(personal?.commands.map((c) => c.title)).toEqual(['mine']);
  });

  it('has the "Escalate" message action that fetches a task module', () => {
    expect(manifest.composeExtensions).toHaveLength(1);
    expect(manifest.composeExtensions[0]?.botId).toBe('{{TEAMS_APP_ID}}');
    const action = manifest.composeExtensions[0]?.commands.find((c) => c.id === 'escalate');
    expect(action).toMatchObject({
      type: 'action',
      title: 'Escalate',
      context: ['message'],
      fetchTask: true,
    });
  });

  it('asks for RSC ChannelMessage.Read.Group, so the bot sees every channel message', () => {
    expect(manifest.authorization?.permissions?.resourceSpecific).toContainEqual({
      name: 'ChannelMessage.Read.Group',
      type: 'Application',
    });
    // RSC needs webApplicationInfo with the app id and any non-empty resource.
    expect(manifest.webApplicationInfo?.id).toBe('{{TEAMS_APP_ID}}');
    expect(manifest.webApplicationInfo?.resource).toBeTruthy();
  });

  it('uses only the placeholders the packaging script fills', () => {
    const placeholders = new Set(manifestText.match(/\{\{[^}]*\}\}/g));
    expect([...placeholders].sort()).toEqual(['{{HOST}}', '{{TEAMS_APP_ID}}']);
  });

  it('has a 192x192 colour icon and a 32x32 outline icon with an alpha channel', () => {
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(pngHeader('color.png')).toMatchObject({ width: 192, height: 192 });
    // colour type 6: RGBA, so the outline can be white on transparent
    expect(pngHeader('outline.png')).toEqual({ width: 32, height: 32, bitDepth: 8, colorType: 6 });
  });
});

describe('npm run teams:package (scripts/teams-package.ts)', () => {
  it('writes a zip with exactly manifest.json, color.png and outline.png at its root, placeholders filled', () => {
    const out = tempDir();
    const run = runPackager({ TEAMS_APP_ID: APP_ID, ESCALATOR_HOST: HOST, TEAMS_PACKAGE_OUT: out });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('escalator-teams.zip');

    const entries = unzip(readFileSync(join(out, 'escalator-teams.zip')));
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(entries.get('color.png')).toEqual(readFileSync(join(TEAMS_DIR, 'color.png')));
    expect(entries.get('outline.png')).toEqual(readFileSync(join(TEAMS_DIR, 'outline.png')));

    const packaged = entries.get('manifest.json')!.toString('utf8');
    expect(packaged).not.toContain('{{');
    const filled = JSON.parse(packaged) as TeamsManifest;
    expect(filled.id).toBe(APP_ID);
    expect(filled.bots[0]?.botId).toBe(APP_ID);
    expect(filled.composeExtensions[0]?.botId).toBe(APP_ID);
    expect(filled.webApplicationInfo?.id).toBe(APP_ID);
    expect(filled.validDomains).toEqual([HOST]);
  });

  it('reads TEAMS_APP_ID and ESCALATOR_HOST from .env in the working directory', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), `TEAMS_APP_ID=${APP_ID}\nESCALATOR_HOST=${HOST}\n`);
    const run = runPackager({ TEAMS_PACKAGE_OUT: 'out' }, cwd);
    expect(run.code, run.output).toBe(0);
    const entries = unzip(readFileSync(join(cwd, 'out', 'escalator-teams.zip')));
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8')).id).toBe(APP_ID);
  });

  it('fails with exit code 1 naming TEAMS_APP_ID when it is not set', () => {
    const run = runPackager({ ESCALATOR_HOST: HOST, TEAMS_PACKAGE_OUT: tempDir() });
    expect(run.code).toBe(1);
    expect(run.output).toContain('TEAMS_APP_ID is not set');
  });

  it('fails naming ESCALATOR_HOST when it is not set', () => {
    const run = runPackager({ TEAMS_APP_ID: APP_ID, TEAMS_PACKAGE_OUT: tempDir() });
    expect(run.code).toBe(1);
    expect(run.output).toContain('ESCALATOR_HOST is not set');
  });

  it.each([
    ['TEAMS_APP_ID', { TEAMS_APP_ID: 'not-a-guid', ESCALATOR_HOST: HOST }, 'must be a GUID'],
    ['ESCALATOR_HOST', { TEAMS_APP_ID: APP_ID, ESCALATOR_HOST: `https://${HOST}/` }, 'host name only'],
  ])('rejects a malformed %s', (name, env, message) => {
    const run = runPackager({ ...env, TEAMS_PACKAGE_OUT: tempDir() });
    expect(run.code).toBe(1);
    expect(run.output).toContain(name);
    expect(run.output).toContain(message);
  });
});
