/**
 * A configuration problem the admin must fix before Escalator can start. It carries every problem
 * found at once (not just the first), so one edit-and-restart cycle fixes them all.
 */
export class ConfigError extends Error {
  readonly problems: string[];

  /** `heading` ends with a colon; each problem becomes one indented `  - ` line of the message. */
  constructor(heading: string, problems: string[]) {
    super([heading, ...problems.map((p) => `  - ${p}`)].join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
