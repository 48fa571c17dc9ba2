/**
 * @module
 * Turns sections into readable tables: one row per metric, one column per target, then the
 * project's ratio to each baseline (project / baseline: above 1 means more, e.g. slower, for times).
 */

import type { Section } from "./scenario.ts";
import { round } from "./stats.ts";

const COLUMNS = ["project", "baseline-do", "baseline-node"];

export const DISCLAIMER =
  "Local workerd under `wrangler dev` on loopback (127.0.0.1), not Cloudflare's network: the numbers compare " +
  "the room with baselines on the same machine in the same run, they are not production latencies.";

function cell(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value && typeof value === "object")
    return (
      Object.entries(value)
        .map(([k, v]) => `${k}:${v}`)
        .join(" ") || "-"
    );
  return value === undefined ? "" : String(value);
}

function ratio(a: unknown, b: unknown): string {
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) return "";
  if (b === 0) return a === 0 ? "1" : "";
  return String(round(a / b));
}

/** A markdown table, readable as plain text too; the first column is divided by each of the others. */
export function table(section: Section, columns = COLUMNS): string {
  const keys = [...new Set(Object.values(section.byTarget).flatMap((m) => Object.keys(m ?? {})))];
  const others = columns.slice(1);
  const header = ["metric", ...columns, ...others.map((name) => `${columns[0]}/${name.replace("baseline-", "")}`)];
  const rows = keys.map((key) => {
    const values = columns.map((name) => section.byTarget[name]?.[key]);
    return [key, ...values.map(cell), ...others.map((_, i) => ratio(values[0], values[i + 1]))];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [`### ${section.title}`, "", line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
