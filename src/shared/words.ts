/** "1 check", "3 checks": a count with its noun, as screens, packs and pushes say it. Zod-free, for any bundle. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
