/**
 * Whether a line is a row of a table: column gaps (two or more spaces, or tabs) in at
 * least two places. Such lines hold data, not prose.
 */
export function isTableRow(line: string): boolean {
  return line.trim().split(/ {2,}|\t+/, 3).length >= 3;
}
