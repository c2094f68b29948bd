// Cutting a text at the key-term marks the core gives in UTF-8 bytes, so the
// reveal can show the answer and the reference with their key terms marked.

/** A stretch of text, marked with the key term it counts for, or plain. */
export interface Segment {
  text: string;
  term: string | null;
}

interface ByteMark {
  start: number;
  end: number;
  term: string;
}

/** UTF-16 index of every UTF-8 byte offset that starts a character. */
function byteToIndex(text: string): Map<number, number> {
  const at = new Map<number, number>();
  let bytes = 0;
  let index = 0;
  for (const char of text) {
    at.set(bytes, index);
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += char.length;
  }
  at.set(bytes, index);
  return at;
}

/** The text in reading order, cut at the marks; marks that do not fall on
 * character boundaries or overlap an earlier one are left out. */
export function segments(text: string, marks: readonly ByteMark[]): Segment[] {
  const at = byteToIndex(text);
  const out: Segment[] = [];
  let done = 0;
  for (const mark of [...marks].sort((a, b) => a.start - b.start)) {
    const start = at.get(mark.start);
    const end = at.get(mark.end);
    if (start === undefined || end === undefined || start < done || end <= start) continue;
    if (start > done) out.push({ text: text.slice(done, start), term: null });
    out.push({ text: text.slice(start, end), term: mark.term });
    done = end;
  }
  if (done < text.length) out.push({ text: text.slice(done), term: null });
  return out;
}
