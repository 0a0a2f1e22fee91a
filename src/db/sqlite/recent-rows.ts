/**
 * Copies of the rows most recently read or written, by id, at most `size` of them. Only a hint for
 * `preparedUpdateById`: a copy may be stale (a rolled-back transaction, a write by other SQL), which
 * that update detects. Copies, so a caller changing the object it got does not change the hint.
 */
export class RecentRows<Row extends { id: string }> {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly size: number) {}

  /** Keeps a copy of `row` and returns `row` itself. */
  remember(row: Row): Row {
    this.rows.delete(row.id);
    this.rows.set(row.id, { ...row });
    if (this.rows.size > this.size) this.rows.delete(this.rows.keys().next().value!);
    return row;
  }

  get(id: string): Row | undefined {
    return this.rows.get(id);
  }
}
