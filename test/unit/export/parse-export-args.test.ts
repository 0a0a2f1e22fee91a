import { describe, expect, it } from 'vitest';
import { ExportUsageError, parseExportArgs } from '../../../src/app/export/parse-export-args.js';

function problemWith(argv: string[]): string {
  try {
    parseExportArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(ExportUsageError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseExportArgs', () => {
  it('reads the period and the output file', () => {
    expect(parseExportArgs(['--from', '2026-11-01', '--to', '2026-11-30', '--out', 'november.csv'])).toEqual({
      help: false,
      from: '2026-11-01',
      to: '2026-11-30',
      out: 'november.csv',
    });
  });

  it('accepts --name=value, a one-day period, and no --out (standard output)', () => {
    expect(parseExportArgs(['--from=2026-11-05', '--to=2026-11-05'])).toEqual({
      help: false,
      from: '2026-11-05',
      to: '2026-11-05',
    });
  });

  it('asks for help with --help or -h', () => {
    expect(parseExportArgs(['--help'])).toEqual({ help: true });
    expect(parseExportArgs(['-h'])).toEqual({ help: true });
    expect(parseExportArgs(['--from', '2026-11-01', '--help'])).toEqual({ help: true });
  });

  it('says which date is missing', () => {
    expect(problemWith([])).toMatch(/^Missing --from: .*e\.g\. --from 2026-11-01/);
    expect(problemWith(['--to', '2026-11-30'])).toMatch(/^Missing --from/);
    expect(problemWith(['--from', '2026-11-01'])).toMatch(/^Missing --to: .*e\.g\. --to 2026-11-30/);
  });

  it.each(['2026-11-1', '01/11/2026', '2026-11-01T00:00', 'november', '2026-02-30', '2026-13-01'])(
    'refuses %s, asking for YYYY-MM-DD',
    (date) => {
      expect(problemWith(['--from', date, '--to', '2026-12-31'])).toBe(
        `--from "${date}" is not a date: write it as YYYY-MM-DD, e.g. --from 2026-11-01.`,
      );
      expect(problemWith(['--from', '2026-01-01', '--to', date])).toMatch(
        /^--to ".*" is not a date: .*YYYY-MM-DD/,
      );
    },
  );

  it('refuses --to before --from', () => {
    expect(problemWith(['--from', '2026-11-30', '--to', '2026-11-01'])).toBe(
      '--to 2026-11-01 is before --from 2026-11-30: --from is the first day and --to the last day of the period.',
    );
  });

  it('names an unknown option and lists the known ones', () => {
    expect(problemWith(['--from', '2026-11-01', '--to', '2026-11-30', '--format', 'csv'])).toBe(
      'Unknown option --format: the options are --from, --to, --out and --help.',
    );
    expect(problemWith(['-o', 'x.csv'])).toMatch(/^Unknown option -o:/);
  });

  it('refuses a stray argument', () => {
    expect(problemWith(['2026-11-01', '2026-11-30'])).toMatch(
      /^Unexpected argument "2026-11-01": .*--from YYYY-MM-DD/,
    );
  });

  it('notices an option without its value', () => {
    expect(problemWith(['--from', '--to', '2026-11-30'])).toBe(
      '--from needs a value, e.g. --from 2026-11-01.',
    );
    expect(problemWith(['--from', '2026-11-01', '--to', '2026-11-30', '--out'])).toBe(
      '--out needs a value, e.g. --out escalations.csv.',
    );
    expect(problemWith(['--from=', '--to', '2026-11-30'])).toMatch(/^--from needs a value/);
  });

  it('refuses an option given twice', () => {
    expect(problemWith(['--from', '2026-11-01', '--from', '2026-11-02', '--to', '2026-11-30'])).toBe(
      '--from is given twice: give it once.',
    );
  });
});
