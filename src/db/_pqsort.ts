/**
 * Redis's `pqsort`: the NetBSD (Bentley & McIlroy) quicksort that Redis modified to sort only as
 * much as a range of the result needs. SORT ... BY pattern LIMIT uses it, and it is not stable:
 * elements that compare equal come out in the order its partitioning leaves them, which Redlite
 * reproduces by running the same algorithm over the same input.
 *
 * @module
 */

/**
 * Sorts `items` in place so that positions `from` to `to` (inclusive) hold what a full sort
 * would put there, exactly as Redis's `pqsort(a, n, es, cmp, from, to)` leaves them.
 *
 * @example
 * ```ts
 * const items = [5, 1, 4, 2, 3, 9, 8, 7];
 * partialQuicksort(items, (a, b) => a - b, 0, 2); // items[0..2] are 1, 2, 3
 * ```
 */
export function partialQuicksort<T>(
  items: T[],
  compare: (a: T, b: T) => number,
  from: number,
  to: number,
): void {
  sortPart(items, compare, 0, items.length, from, to);
}

function swap<T>(items: T[], i: number, j: number): void {
  const t = items[i];
  items[i] = items[j];
  items[j] = t;
}

function swapRuns<T>(items: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(items, i + k, j + k);
}

function median3<T>(items: T[], compare: (a: T, b: T) => number, a: number, b: number, c: number) {
  return compare(items[a], items[b]) < 0
    ? (compare(items[b], items[c]) < 0 ? b : compare(items[a], items[c]) < 0 ? c : a)
    : (compare(items[b], items[c]) > 0 ? b : compare(items[a], items[c]) < 0 ? a : c);
}

function insertionSort<T>(items: T[], compare: (a: T, b: T) => number, a: number, n: number) {
  for (let m = a + 1; m < a + n; m++) {
    for (let l = m; l > a && compare(items[l - 1], items[l]) > 0; l--) swap(items, l, l - 1);
  }
}

// Whether the part [a, a + n) holds none of the range [from, to].
function outsideRange(a: number, n: number, from: number, to: number): boolean {
  return (from < a && to < a) || (from >= a + n && to >= a + n);
}

// _pqsort with element indexes for pointers: the part starts at `a` and has `n` elements.
function sortPart<T>(
  items: T[],
  compare: (a: T, b: T) => number,
  a: number,
  n: number,
  from: number,
  to: number,
): void {
  for (;;) {
    if (n < 7) {
      insertionSort(items, compare, a, n);
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = median3(items, compare, pl, pl + d, pl + 2 * d);
        pm = median3(items, compare, pm - d, pm, pm + d);
        pn = median3(items, compare, pn - 2 * d, pn - d, pn);
      }
      pm = median3(items, compare, pl, pm, pn);
    }
    swap(items, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    let swapped = false;
    for (;;) {
      let result: number;
      while (pb <= pc && (result = compare(items[pb], items[a])) <= 0) {
        if (result === 0) {
          swapped = true;
          swap(items, pa++, pb);
        }
        pb++;
      }
      while (pb <= pc && (result = compare(items[pc], items[a])) >= 0) {
        if (result === 0) {
          swapped = true;
          swap(items, pc, pd--);
        }
        pc--;
      }
      if (pb > pc) break;
      swap(items, pb++, pc--);
      swapped = true;
    }
    if (!swapped) {
      insertionSort(items, compare, a, n);
      return;
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    swapRuns(items, a, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    swapRuns(items, pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && !outsideRange(a, r, from, to)) sortPart(items, compare, a, r, from, to);
    r = pd - pc;
    if (r <= 1) return;
    a = pn - r;
    n = r;
    if (outsideRange(a, n, from, to)) return;
  }
}
