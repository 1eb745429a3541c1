import type { DirectoryPerson } from '../types';
import type { DirectoryEntry } from './directory-entry';
import { TrigramPostings } from './trigram-postings';

/** The assign picker answers only from this many characters on. */
export const MIN_SEARCH_LENGTH = 3;

// Letters that Unicode does not decompose into a base letter plus accent.
const FOLDED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const UNFOLDED = /[ßæœøłđðþı]/g;
const WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;
const ASCII_WORD_SEPARATOR = /[^a-z0-9]+/;
// Anything outside printable ASCII takes the full Unicode path.
const NON_ASCII = /[^ -~]/;

/** Case- and accent-insensitive form used on both sides of a search. */
export function foldForSearch(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(UNFOLDED, (letter) => FOLDED[letter] ?? letter);
}

function wordsOf(folded: string): string[] {
  const separator = NON_ASCII.test(folded) ? WORD_SEPARATOR : ASCII_WORD_SEPARATOR;
  return folded.split(separator).filter((word) => word.length > 0);
}

/** The name the picker shows and sorts by. */
export function labelOf(person: DirectoryPerson): string {
  const fullName = [person.givenName, person.surname].filter(Boolean).join(' ');
  return person.displayName || fullName || person.userName;
}

/**
 * One organization's people, indexed in process for the assign picker: built once per cached
 * snapshot, never per query. People are numbered in name order, so the lowest matching numbers are
 * the best-sorted answers. Prefix-of-a-word matches come from a sorted word list (binary search);
 * "contains" matches from trigram postings, checked against each candidate's folded text.
 */
export class DirectoryIndex {
  readonly size: number;
  readonly #entries: DirectoryEntry[];
  readonly #byReference = new Map<string, number>();
  readonly #personWords: string[][];
  readonly #words: string[];
  readonly #postings: Int32Array[];
  readonly #texts: string[];
  readonly #trigrams: TrigramPostings;
  readonly #marks: Uint8Array;

  constructor(entries: Iterable<DirectoryEntry>) {
    const labelled = Array.from(entries, (entry) => ({ entry, key: foldForSearch(labelOf(entry.person)) }));
    labelled.sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : a.entry.reference < b.entry.reference ? -1 : 1,
    );
    this.#entries = labelled.map(({ entry }) => entry);
    this.size = this.#entries.length;
    this.#personWords = new Array(this.size);
    this.#marks = new Uint8Array(this.size);

    const postings = new Map<string, number[]>();
    const texts: string[] = [];
    this.#entries.forEach(({ reference, person }, id) => {
      this.#byReference.set(reference, id);
      const fields = [person.displayName, person.givenName, person.surname, person.userName];
      const text = foldForSearch(fields.filter(Boolean).join(' '));
      texts.push(text);
      const words = wordsOf(text);
      this.#personWords[id] = words;
      for (const word of words) {
        const list = postings.get(word);
        if (!list) postings.set(word, [id]);
        else if (list[list.length - 1] !== id) list.push(id);
      }
    });
    this.#texts = texts;
    this.#trigrams = new TrigramPostings(texts);
    this.#words = [...postings.keys()].sort();
    this.#postings = this.#words.map((word) => Int32Array.from(postings.get(word)!));
  }

  get(reference: string): DirectoryPerson | undefined {
    const id = this.#byReference.get(reference);
    return id === undefined ? undefined : this.#entries[id]!.person;
  }

  entries(): readonly DirectoryEntry[] {
    return this.#entries;
  }

  #byUserName: Map<string, DirectoryEntry> | undefined;

  /** The person whose user name (UPN or e-mail) this is, whatever its case; built on first use. */
  byUserName(userName: string): DirectoryEntry | undefined {
    if (!this.#byUserName) {
      this.#byUserName = new Map();
      for (const entry of this.#entries) this.#byUserName.set(entry.person.userName.toLowerCase(), entry);
    }
    return this.#byUserName.get(userName.trim().toLowerCase());
  }

  /** Prefix-of-a-word matches first, then "contains" matches; each group in name order. */
  search(query: string, limit: number): DirectoryEntry[] {
    const folded = foldForSearch(query).trim().replace(/\s+/g, ' ');
    if (folded.length < MIN_SEARCH_LENGTH || limit <= 0) return [];
    const found = this.#prefixMatches(wordsOf(folded), limit);
    if (found.length < limit) this.#containsMatches(folded, limit, found);
    return found.map((id) => this.#entries[id]!);
  }

  /** People having, for every query word, a word that starts with it. */
  #prefixMatches(queryWords: string[], limit: number): number[] {
    if (queryWords.length === 0) return [];
    const longest = queryWords.reduce((a, b) => (b.length > a.length ? b : a));
    const others = queryWords.filter((word) => word !== longest);
    const touched: number[] = [];
    for (let w = this.#firstWordFrom(longest); w < this.#words.length; w++) {
      if (!this.#words[w]!.startsWith(longest)) break;
      for (const id of this.#postings[w]!) {
        if (this.#marks[id] === 0) {
          this.#marks[id] = 1;
          touched.push(id);
        }
      }
    }
    const found: number[] = [];
    const accept = (id: number) => {
      const words = this.#personWords[id]!;
      if (others.every((part) => words.some((word) => word.startsWith(part)))) found.push(id);
    };
    if (touched.length * 8 < this.size) {
      touched.sort((a, b) => a - b);
      for (const id of touched) {
        if (found.length >= limit) break;
        accept(id);
      }
    } else {
      // Most people matched: walking the marks in order is cheaper than sorting them.
      for (let id = 0; id < this.size && found.length < limit; id++) if (this.#marks[id] === 1) accept(id);
    }
    for (const id of touched) this.#marks[id] = 0;
    return found;
  }

  #containsMatches(folded: string, limit: number, found: number[]): void {
    const already = new Set(found);
    for (const id of this.#trigrams.candidates(folded)) {
      if (found.length >= limit) return;
      if (!already.has(id) && this.#texts[id]!.includes(folded)) found.push(id);
    }
  }

  #firstWordFrom(prefix: string): number {
    let low = 0;
    let high = this.#words.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#words[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
