/**
 * Builds the Microsoft Teams app package: `dist/escalator-teams.zip` holding `manifest.json`,
 * `color.png` and `outline.png` at its root, ready to upload in Teams or the Teams admin center.
 *
 *   TEAMS_APP_ID=<Azure Bot Microsoft App ID> ESCALATOR_HOST=escalator.example.com npm run teams:package
 *
 * Placeholders in `manifest/teams/manifest.json`: `{{TEAMS_APP_ID}}` (from `TEAMS_APP_ID`) and
 * `{{HOST}}` (from `ESCALATOR_HOST`). A `.env` file in the current directory is read too; variables
 * already set in the environment win. `TEAMS_PACKAGE_OUT` writes the zip to another folder.
 * Exits with code 1 and a message saying what to fix when something is wrong.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MANIFEST_DIR = join(ROOT, 'manifest', 'teams');
const ZIP_NAME = 'escalator-teams.zip';

/** The icons Teams wants, with their sizes in pixels. */
const ICONS = [
  { file: 'color.png', size: 192 },
  { file: 'outline.png', size: 32 },
] as const;

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(\\.${LABEL})+$`, 'i');

/** A problem the person running the script can fix; its message says how. */
class PackageError extends Error {}

function loadDotEnv(): void {
  const file = resolve('.env');
  if (!existsSync(file)) return;
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new PackageError(`could not read ${file}: ${(error as Error).message}`);
  }
}

function requireEnv(name: string, what: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new PackageError(`${name} is not set. Set it to ${what} (in the environment or .env).`);
  return value;
}

function readAppId(): string {
  const appId = requireEnv(
    'TEAMS_APP_ID',
    'the Microsoft App ID of your Azure Bot, e.g. TEAMS_APP_ID=00000000-0000-0000-0000-000000000000',
  );
  if (!GUID.test(appId)) {
    throw new PackageError(
      `TEAMS_APP_ID must be a GUID like 00000000-0000-0000-0000-000000000000 (the Microsoft App ID of your Azure Bot), not "${appId}".`,
    );
  }
  return appId.toLowerCase();
}

function readHost(): string {
  const host = requireEnv(
    'ESCALATOR_HOST',
    'the public host name that reaches Escalator, e.g. ESCALATOR_HOST=escalator.example.com',
  );
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) || /[/:?#@]/.test(host) || !HOST_NAME.test(host)) {
    throw new PackageError(
      `ESCALATOR_HOST must be a host name only, e.g. escalator.example.com (no https://, port or path), not "${host}".`,
    );
  }
  return host.toLowerCase();
}

/** Replaces every `{{NAME}}` in the manifest; an unknown name is an error. */
function fillManifest(template: string, values: Record<string, string>): string {
  const unknown = new Set<string>();
  const filled = template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) unknown.add(whole);
    return value ?? whole;
  });
  if (unknown.size > 0) {
    const known = Object.keys(values).map((name) => `{{${name}}}`);
    throw new PackageError(
      `manifest/teams/manifest.json has placeholders this script does not know: ${[...unknown].join(', ')} (known: ${known.join(', ')}).`,
    );
  }
  if (filled.includes('{{')) throw new PackageError('manifest/teams/manifest.json has an unclosed "{{".');
  return filled;
}

interface ManifestBasics {
  id?: unknown;
  bots?: { botId?: unknown }[];
  icons?: { color?: unknown; outline?: unknown };
}

function checkManifest(text: string, appId: string): void {
  let manifest: ManifestBasics;
  try {
    manifest = JSON.parse(text) as ManifestBasics;
  } catch (error) {
    throw new PackageError(`manifest/teams/manifest.json is not valid JSON: ${(error as Error).message}`);
  }
  if (manifest.id !== appId) throw new PackageError('manifest.json "id" must be "{{TEAMS_APP_ID}}".');
  if (manifest.bots?.[0]?.botId !== appId) {
    throw new PackageError('manifest.json "bots[0].botId" must be "{{TEAMS_APP_ID}}".');
  }
  if (manifest.icons?.color !== 'color.png' || manifest.icons?.outline !== 'outline.png') {
    throw new PackageError('manifest.json "icons" must name color.png and outline.png.');
  }
}

function readIcon(file: string, size: number): Buffer {
  const path = join(MANIFEST_DIR, file);
  if (!existsSync(path)) throw new PackageError(`manifest/teams/${file} is missing.`);
  const png = readFileSync(path);
  const isPng = png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!isPng || png.length < 24 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new PackageError(`manifest/teams/${file} is not a PNG.`);
  }
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width !== size || height !== size) {
    throw new PackageError(`manifest/teams/${file} must be ${size}x${size} pixels, not ${width}x${height}.`);
  }
  return png;
}

/** MS-DOS date and time, as zip headers keep them (local time, two-second steps). */
function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** A plain zip (deflate, no directories, no extras) with the given files at its root. */
function zip(files: { name: string; data: Buffer }[], modified = new Date()): Buffer {
  const { time, date } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name, 'utf8');
    const packed = zlib.deflateRawSync(file.data, { level: 9 });
    const crc = zlib.crc32(file.data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function main(): string {
  // zlib.crc32 arrived in Node 20.15; read it through the namespace so older Nodes get this message.
  if (typeof zlib.crc32 !== 'function') {
    throw new PackageError(`needs Node 20.15 or newer (zlib.crc32); this is Node ${process.versions.node}.`);
  }
  loadDotEnv();
  const appId = readAppId();
  const host = readHost();

  const manifestPath = join(MANIFEST_DIR, 'manifest.json');
  if (!existsSync(manifestPath)) throw new PackageError(`${manifestPath} is missing.`);
  const manifest = fillManifest(readFileSync(manifestPath, 'utf8'), { TEAMS_APP_ID: appId, HOST: host });
  checkManifest(manifest, appId);

  const files = [
    { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
    ...ICONS.map(({ file, size }) => ({ name: file, data: readIcon(file, size) })),
  ];

  const outDir = process.env.TEAMS_PACKAGE_OUT ? resolve(process.env.TEAMS_PACKAGE_OUT) : join(ROOT, 'dist');
  const outPath = join(outDir, ZIP_NAME);
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(outPath, zip(files));
  } catch (error) {
    throw new PackageError(`could not write ${outPath}: ${(error as Error).message}`);
  }

  const shown = relative(process.cwd(), outPath);
  return [
    `Wrote ${shown.startsWith('..') ? outPath : shown} (app id ${appId}, host ${host}).`,
    '',
    'Next steps (docs/teams-setup.md has the details):',
    `  1. In the Azure Bot, set the messaging endpoint to https://${host}/api/messages and turn on the Microsoft Teams channel.`,
    '  2. Upload the zip: Teams → Apps → Manage your apps → Upload an app (or the Teams admin center → Manage apps → Upload new app).',
    '  3. Add the app to the team(s) that hold your support and escalation channels.',
    '  4. Name those channels in the escalation policy as teams:19:…@thread.tacv2 and restart Escalator.',
  ].join('\n');
}

try {
  console.log(main());
} catch (error) {
  if (!(error instanceof PackageError)) throw error;
  console.error(`teams:package: ${error.message}`);
  process.exitCode = 1;
}
