/**
 * @module
 * SQLite helpers shared by every object's storage.
 */

/** A column added after rooms already stored rows: its name and its type with any default. */
export type Column = [name: string, type: string];

/**
 * Brings a table created by an older version up to date: `CREATE TABLE IF NOT EXISTS` keeps an
 * existing table as it was, so columns added since are added here; old rows hold their default.
 * Returns the names of the columns it added, for a migration that fills old rows in.
 */
export function addMissingColumns(sql: SqlStorage, table: string, columns: Column[]): string[] {
  const present = new Set(
    sql
      .exec<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
      .toArray()
      .map((column) => column.name),
  );
  const added = columns.filter(([name]) => !present.has(name));
  for (const [name, type] of added) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
  return added.map(([name]) => name);
}
