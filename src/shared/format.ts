const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 -> "1.5 KB": decimal-free below 10 of a unit is too coarse, so one decimal there. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`not a byte count: ${bytes}`);
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const shown = value < 10 ? value.toFixed(1) : Math.round(value).toString();
  return `${shown} ${BYTE_UNITS[unit]}`;
}

/** Share of quota used, as a whole percentage, never shown as 0 when something is stored. */
export function formatShare(used: number, total: number): string {
  if (total <= 0) return 'unknown';
  const percent = (used / total) * 100;
  if (used > 0 && percent < 1) return 'less than 1%';
  return `${Math.round(percent)}%`;
}
