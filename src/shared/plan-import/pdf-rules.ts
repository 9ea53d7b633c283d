/**
 * The horizontal rules a PDF draws (a table's borders between rows), read from pdf.js's operator
 * list: the paths it strokes or fills, through the current transform, in page space. Pure: the
 * caller hands over the operator list and pdf.js's operator codes.
 */

export interface PdfRule {
  y: number;
  x1: number;
  x2: number;
}

export interface OperatorCodes {
  save: number;
  restore: number;
  transform: number;
  constructPath: number;
  /** Operators that paint a path (stroke, fill and their kinds); a clip paints nothing. */
  paints: ReadonlySet<number>;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

const isMatrix = (value: unknown): value is Matrix => Array.isArray(value) && value.length === 6 && value.every((n) => typeof n === 'number');
const numbers = (value: unknown): number[] | null =>
  value instanceof Float32Array || (Array.isArray(value) && value.every((n) => typeof n === 'number')) ? Array.from(value as ArrayLike<number>) : null;

/** pdf.js's path operators inside a constructPath (DrawOPS). */
const MOVE_TO = 0;
const LINE_TO = 1;
const CURVE_TO = 2;
const QUADRATIC_CURVE_TO = 3;
const CLOSE_PATH = 4;

/** A painted line or a thin filled box at least this wide (points) is a rule; narrower is decoration. */
const MIN_RULE_WIDTH = 20;
/** A box this thin (points) is a line drawn as a filled rectangle, as many writers draw borders. */
const THIN = 2.5;

function pathRules(path: number[], matrix: Matrix): PdfRule[] {
  const points: [number, number][][] = [];
  let current: [number, number][] = [];
  for (let i = 0; i < path.length;) {
    const op = path[i];
    if (op === MOVE_TO || op === LINE_TO) {
      const point = apply(matrix, path[i + 1] ?? 0, path[i + 2] ?? 0);
      if (op === MOVE_TO && current.length) {
        points.push(current);
        current = [];
      }
      current.push(point);
      i += 3;
    } else if (op === CURVE_TO) {
      current.push(apply(matrix, path[i + 5] ?? 0, path[i + 6] ?? 0));
      i += 7;
    } else if (op === QUADRATIC_CURVE_TO) {
      current.push(apply(matrix, path[i + 3] ?? 0, path[i + 4] ?? 0));
      i += 5;
    } else if (op === CLOSE_PATH) {
      if (current[0]) current.push(current[0]);
      i += 1;
    } else break; // an operator this reader does not know: the rest of the path is not read
  }
  if (current.length) points.push(current);
  const rules: PdfRule[] = [];
  for (const run of points) {
    const ys = run.map(([, y]) => y);
    const xs = run.map(([x]) => x);
    const [top, bottom, left, right] = [Math.max(...ys), Math.min(...ys), Math.min(...xs), Math.max(...xs)];
    if (top - bottom <= THIN && right - left >= MIN_RULE_WIDTH) {
      rules.push({ y: (top + bottom) / 2, x1: left, x2: right });
      continue;
    }
    // Each horizontal edge of a box or a polyline (a cell's border drawn as one path).
    for (let k = 1; k < run.length; k += 1) {
      const [ax, ay] = run[k - 1] ?? [0, 0];
      const [bx, by] = run[k] ?? [0, 0];
      if (Math.abs(ay - by) <= 0.5 && Math.abs(bx - ax) >= MIN_RULE_WIDTH) {
        rules.push({ y: ay, x1: Math.min(ax, bx), x2: Math.max(ax, bx) });
      }
    }
  }
  return rules;
}

export function horizontalRules(fnArray: readonly number[], argsArray: readonly unknown[], codes: OperatorCodes): PdfRule[] {
  const rules: PdfRule[] = [];
  const stack: Matrix[] = [];
  let matrix: Matrix = IDENTITY;
  fnArray.forEach((fn, i) => {
    const args = argsArray[i];
    if (fn === codes.save) stack.push(matrix);
    else if (fn === codes.restore) matrix = stack.pop() ?? IDENTITY;
    else if (fn === codes.transform && isMatrix(args)) matrix = multiply(args, matrix);
    else if (fn === codes.constructPath && Array.isArray(args) && codes.paints.has(args[0] as number)) {
      const data: unknown = args[1];
      const path = Array.isArray(data) ? numbers(data[0]) : null;
      if (path) rules.push(...pathRules(path, matrix));
    }
  });
  return rules;
}
