import type { Logger } from '../../../src/ports/logger.js';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

/** A `Logger` that keeps every record, so tests can assert what was logged (and at which level). */
export class RecordingLogger implements Logger {
  readonly records: LogRecord[] = [];

  debug(obj: object, msg?: string) {
    this.records.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string) {
    this.records.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string) {
    this.records.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string) {
    this.records.push({ level: 'error', obj, msg });
  }

  at(level: LogRecord['level']): LogRecord[] {
    return this.records.filter((r) => r.level === level);
  }
}
