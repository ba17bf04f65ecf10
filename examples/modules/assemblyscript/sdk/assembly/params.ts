// The step's parameters: a JSON object (RFC 8259) already valid against the manifest's params
// schema. Only top-level members are kept: strings, numbers, booleans and null; arrays and
// objects are skipped (read them from `json` yourself if a module needs them).

export class Params {
  private strings: Map<string, string> = new Map();
  private numbers: Map<string, f64> = new Map();
  private bools: Map<string, bool> = new Map();
  private present: Set<string> = new Set();

  constructor(public json: string) {
    new Parser(json, this).object();
  }

  /** @internal */ setString(k: string, v: string): void { this.strings.set(k, v); this.present.add(k); }
  /** @internal */ setNumber(k: string, v: f64): void { this.numbers.set(k, v); this.present.add(k); }
  /** @internal */ setBool(k: string, v: bool): void { this.bools.set(k, v); this.present.add(k); }
  /** @internal */ setOther(k: string): void { this.present.add(k); }

  /** String member `key`, or null when absent (error: another type). */
  string(key: string): string | null {
    return this.strings.has(key) ? this.strings.get(key) : null;
  }

  /** Number member `key`, or `fallback` when absent or null. */
  number(key: string, fallback: f64): f64 {
    return this.numbers.has(key) ? this.numbers.get(key) : fallback;
  }

  /** Boolean member `key`, or `fallback` when absent or null. */
  bool(key: string, fallback: bool): bool {
    return this.bools.has(key) ? this.bools.get(key) : fallback;
  }

  has(key: string): bool {
    return this.present.has(key);
  }
}

class Parser {
  at: i32 = 0;
  constructor(private s: string, private out: Params) {}

  private space(): void {
    while (this.at < this.s.length) {
      const c = this.s.charCodeAt(this.at);
      if (c != 32 && c != 9 && c != 10 && c != 13) break;
      this.at++;
    }
  }

  private peek(): i32 {
    this.space();
    return this.at < this.s.length ? this.s.charCodeAt(this.at) : -1;
  }

  object(): void {
    if (this.peek() != 123) return; // not an object: no members
    this.at++;
    while (this.peek() != 125 && this.at < this.s.length) {
      const key = this.string();
      this.peek();
      this.at++; // ':'
      const c = this.peek();
      if (c == 34) this.out.setString(key, this.string());
      else if (c == 116 || c == 102) {
        this.out.setBool(key, c == 116);
        this.at += c == 116 ? 4 : 5;
      } else if (c == 110) this.at += 4; // null: as if absent
      else if (c == 123 || c == 91) {
        this.skip();
        this.out.setOther(key);
      } else this.out.setNumber(key, this.number());
      if (this.peek() == 44) this.at++;
    }
  }

  private string(): string {
    this.at++; // opening quote
    let out = "";
    while (this.at < this.s.length) {
      const c = this.s.charCodeAt(this.at++);
      if (c == 34) break;
      if (c != 92) {
        out += String.fromCharCode(c);
        continue;
      }
      const e = this.s.charCodeAt(this.at++);
      if (e == 110) out += "\n";
      else if (e == 116) out += "\t";
      else if (e == 114) out += "\r";
      else if (e == 98) out += "\b";
      else if (e == 102) out += "\f";
      else if (e == 117) {
        out += String.fromCharCode(<i32>I32.parseInt(this.s.substr(this.at, 4), 16));
        this.at += 4;
      } else out += String.fromCharCode(e);
    }
    return out;
  }

  private number(): f64 {
    const start = this.at;
    while (this.at < this.s.length) {
      const c = this.s.charCodeAt(this.at);
      if (!((c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69)) break;
      this.at++;
    }
    return F64.parseFloat(this.s.substring(start, this.at));
  }

  /** Skips an array or object, strings included. */
  private skip(): void {
    let depth = 0;
    do {
      const c = this.s.charCodeAt(this.at);
      if (c == 34) {
        this.string();
        continue;
      }
      if (c == 123 || c == 91) depth++;
      else if (c == 125 || c == 93) depth--;
      this.at++;
    } while (depth > 0 && this.at < this.s.length);
  }
}
