import { it } from 'vitest';
import { parseGlueType, printGlueType } from '../../functions/core/glue-type.js';
function first(f: (n: number) => void): number { let lo = 1, hi = 100000; while (lo < hi) { const mid = (lo + hi) >> 1; try { f(mid); hi = mid; } catch { lo = mid + 1; } } return lo; }
it('depths', () => {
  for (const open of ['array<', 'map<int,', 'struct<a:', 'uniontype<']) {
    const parseFail = first((n) => { try { parseGlueType(`${open.repeat(n)}int${'>'.repeat(n)}`); } catch (e) { if (e instanceof RangeError) throw e; } });
    const printFail = first((n) => { let t; try { t = parseGlueType(`${open.repeat(n)}int${'>'.repeat(n)}`); } catch { return; } printGlueType(t); });
    console.log(open, 'parse RangeError from depth', parseFail, 'print RangeError from depth', printFail);
  }
});
