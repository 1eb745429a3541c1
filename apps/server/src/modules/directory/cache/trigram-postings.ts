/**
 * For "contains" searches: which lines hold each three-character sequence. Postings are stored flat
 * (one Int32Array plus offsets) to keep 100,000 people to a few megabytes, and list line numbers in
 * ascending order, so the first verified candidates are the first lines that match.
 */
export class TrigramPostings {
  readonly #ids = new Map<number, number>();
  readonly #offsets: Int32Array;
  readonly #lines: Int32Array;

  constructor(lines: readonly string[]) {
    const seenIn: number[] = [];
    const counts: number[] = [];
    let perLine = new Int32Array(1 << 16);
    let used = 0;
    const lineEnds = new Int32Array(lines.length);
    lines.forEach((line, n) => {
      for (let i = 0; i + 3 <= line.length; i++) {
        const id = this.#idOf(trigramKey(line, i), seenIn, counts);
        if (seenIn[id] === n) continue;
        seenIn[id] = n;
        counts[id]!++;
        if (used === perLine.length) {
          const grown = new Int32Array(perLine.length * 2);
          grown.set(perLine);
          perLine = grown;
        }
        perLine[used++] = id;
      }
      lineEnds[n] = used;
    });
    this.#offsets = new Int32Array(counts.length + 1);
    for (let id = 0; id < counts.length; id++) this.#offsets[id + 1] = this.#offsets[id]! + counts[id]!;
    this.#lines = new Int32Array(used);
    const next = this.#offsets.slice(0, counts.length);
    let start = 0;
    for (let n = 0; n < lines.length; n++) {
      for (let k = start; k < lineEnds[n]!; k++) this.#lines[next[perLine[k]!]!++] = n;
      start = lineEnds[n]!;
    }
  }

  /** Lines that may contain `text` (its rarest trigram's lines), ascending; every true match is among them. */
  candidates(text: string): Int32Array {
    let best: Int32Array | undefined;
    for (let i = 0; i + 3 <= text.length; i++) {
      const id = this.#ids.get(trigramKey(text, i));
      if (id === undefined) return new Int32Array(0);
      const lines = this.#lines.subarray(this.#offsets[id]!, this.#offsets[id + 1]!);
      if (!best || lines.length < best.length) best = lines;
    }
    return best ?? new Int32Array(0);
  }

  #idOf(trigram: number, seenIn: number[], counts: number[]): number {
    let id = this.#ids.get(trigram);
    if (id === undefined) {
      id = counts.length;
      this.#ids.set(trigram, id);
      counts.push(0);
      seenIn.push(-1);
    }
    return id;
  }
}

/** Three UTF-16 code units as one number: cheaper to hash than a three-character string. */
function trigramKey(text: string, at: number): number {
  return (text.charCodeAt(at) * 65_536 + text.charCodeAt(at + 1)) * 65_536 + text.charCodeAt(at + 2);
}
