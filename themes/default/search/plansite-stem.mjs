// plansite English stemmer: a faithful port of the Snowball runtime and of
// english.sbl as generated for Rust (the frostem crate tantivy uses, Snowball
// 3), working on UTF-8 bytes like it. plansite-search.mjs loads it only for
// English queries; tests/search/vectors.json keeps it equal to the Rust one.

const encoder = new TextEncoder();
const decoder = new TextDecoder();


class Env {
  constructor(bytes) {
    this.cur = bytes;
    this.cursor = 0;
    this.limit = bytes.length;
    this.lb = 0;
    this.bra = 0;
    this.ket = 0;
  }
  boundary(i) {
    const c = this.cur;
    return i === 0 || i === c.length || (i < c.length && (c[i] & 0xc0) !== 0x80);
  }
  charAt(i) {
    const c = this.cur;
    const b = c[i];
    if (b < 0x80) return b;
    if (b < 0xe0) return ((b & 0x1f) << 6) | (c[i + 1] & 0x3f);
    if (b < 0xf0) return ((b & 0x0f) << 12) | ((c[i + 1] & 0x3f) << 6) | (c[i + 2] & 0x3f);
    return ((b & 0x07) << 18) | ((c[i + 1] & 0x3f) << 12) | ((c[i + 2] & 0x3f) << 6) | (c[i + 3] & 0x3f);
  }
  byte(i) {
    return this.cur[i];
  }
  replace(bra, ket, s) {
    const adj = s.length - (ket - bra);
    this.cur = this.cur.slice(0, bra).concat(s, this.cur.slice(ket));
    this.limit += adj;
    if (this.cursor >= ket) this.cursor += adj;
    else if (this.cursor > bra) this.cursor = bra;
    return adj;
  }
  eqS(s) {
    if (this.cursor >= this.limit) return false;
    for (let k = 0; k < s.length; k++) if (this.cur[this.cursor + k] !== s[k]) return false;
    this.cursor += s.length;
    while (!this.boundary(this.cursor)) this.cursor++;
    return true;
  }
  eqSB(s) {
    if (this.cursor - this.lb < s.length) return false;
    const from = this.cursor - s.length;
    if (!this.boundary(from)) return false;
    for (let k = 0; k < s.length; k++) if (this.cur[from + k] !== s[k]) return false;
    this.cursor = from;
    return true;
  }
  sliceFrom(s) {
    this.replace(this.bra, this.ket, s);
    this.ket = this.bra + s.length;
  }
  sliceDel() {
    this.sliceFrom([]);
  }
  nextChar() {
    this.cursor++;
    while (!this.boundary(this.cursor)) this.cursor++;
  }
  previousChar() {
    this.cursor--;
    while (!this.boundary(this.cursor)) this.cursor--;
  }
  hop(delta) {
    let res = this.cursor;
    while (delta-- > 0) {
      if (res >= this.limit) return false;
      res++;
      while (res < this.limit && !this.boundary(res)) res++;
    }
    this.cursor = res;
    return true;
  }
  hopBack(delta) {
    let res = this.cursor;
    while (delta-- > 0) {
      if (res <= this.lb) return false;
      res--;
      while (res > this.lb && !this.boundary(res)) res--;
    }
    this.cursor = res;
    return true;
  }
  member(g, min, max, ch) {
    if (ch > max || ch < min) return false;
    ch -= min;
    return (g[ch >> 3] & (1 << (ch & 7))) !== 0;
  }
  inGrouping(g, min, max) {
    if (this.cursor >= this.limit) return false;
    if (!this.member(g, min, max, this.charAt(this.cursor))) return false;
    this.nextChar();
    return true;
  }
  goInGrouping(g, min, max) {
    while (this.cursor < this.limit) {
      if (!this.member(g, min, max, this.charAt(this.cursor))) return true;
      this.nextChar();
    }
    return false;
  }
  inGroupingB(g, min, max) {
    if (this.cursor <= this.lb) return false;
    const c = this.cursor;
    this.previousChar();
    if (!this.member(g, min, max, this.charAt(this.cursor))) {
      this.cursor = c;
      return false;
    }
    return true;
  }
  outGrouping(g, min, max) {
    if (this.cursor >= this.limit) return false;
    if (this.member(g, min, max, this.charAt(this.cursor))) return false;
    this.nextChar();
    return true;
  }
  goOutGrouping(g, min, max) {
    while (this.cursor < this.limit) {
      if (this.member(g, min, max, this.charAt(this.cursor))) return true;
      this.nextChar();
    }
    return false;
  }
  outGroupingB(g, min, max) {
    if (this.cursor <= this.lb) return false;
    const c = this.cursor;
    this.previousChar();
    if (!this.member(g, min, max, this.charAt(this.cursor))) return true;
    this.cursor = c;
    return false;
  }
  goOutGroupingB(g, min, max) {
    while (this.cursor > this.lb) {
      const c = this.cursor;
      this.previousChar();
      if (this.member(g, min, max, this.charAt(this.cursor))) {
        this.cursor = c;
        return true;
      }
    }
    return false;
  }
  findAmong(a) {
    let i = 0;
    let j = a.length;
    const c = this.cursor;
    const l = this.limit;
    let commonI = 0;
    let commonJ = 0;
    let firstKeyInspected = false;
    for (;;) {
      const k = i + ((j - i) >> 1);
      let diff = 0;
      let common = Math.min(commonI, commonJ);
      const w = a[k];
      for (let lvar = common; lvar < w[0].length; lvar++) {
        if (c + common === l) {
          diff = -1;
          break;
        }
        diff = this.cur[c + common] - w[0][lvar];
        if (diff !== 0) break;
        common++;
      }
      if (diff < 0) {
        j = k;
        commonJ = common;
      } else {
        i = k;
        commonI = common;
      }
      if (j - i <= 1) {
        if (i > 0 || j === i || firstKeyInspected) break;
        firstKeyInspected = true;
      }
    }
    for (;;) {
      const w = a[i];
      if (commonI >= w[0].length) {
        this.cursor = c + w[0].length;
        return w[2];
      }
      i = w[1];
      if (i < 0) return 0;
    }
  }
  findAmongB(a) {
    let i = 0;
    let j = a.length;
    const c = this.cursor;
    const lb = this.lb;
    let commonI = 0;
    let commonJ = 0;
    let firstKeyInspected = false;
    for (;;) {
      const k = i + ((j - i) >> 1);
      let diff = 0;
      let common = commonI < commonJ ? commonI : commonJ;
      const w = a[k];
      for (let lvar = w[0].length - common - 1; lvar >= 0; lvar--) {
        if (c - common === lb) {
          diff = -1;
          break;
        }
        diff = this.cur[c - common - 1] - w[0][lvar];
        if (diff !== 0) break;
        common++;
      }
      if (diff < 0) {
        j = k;
        commonJ = common;
      } else {
        i = k;
        commonI = common;
      }
      if (j - i <= 1) {
        if (i > 0 || j === i || firstKeyInspected) break;
        firstKeyInspected = true;
      }
    }
    for (;;) {
      const w = a[i];
      if (commonI >= w[0].length) {
        this.cursor = c - w[0].length;
        return w[2];
      }
      i = w[1];
      if (i < 0) return 0;
    }
  }
}

const B = (s) => Array.from(encoder.encode(s));
const among = (rows) => rows.map(([s, i, r]) => [B(s), i, r]);
const A_0 = among([["arsen", -1, -1], ["commun", -1, -1], ["emerg", -1, -1], ["gener", -1, -1], ["inter", -1, -1], ["later", -1, -1], ["organ", -1, -1], ["past", -1, -1], ["univers", -1, -1]]);
const A_1 = among([["'", -1, 1], ["'s'", 0, 1], ["'s", -1, 1]]);
const A_2 = among([["ied", -1, 2], ["s", -1, 3], ["ies", 1, 2], ["sses", 1, 1], ["ss", 1, -1], ["us", 1, -1]]);
const A_3 = among([["succ", -1, 1], ["proc", -1, 1], ["exc", -1, 1]]);
const A_4 = among([["even", -1, 2], ["cann", -1, 2], ["inn", -1, 2], ["earr", -1, 2], ["herr", -1, 2], ["out", -1, 2], ["y", -1, 1]]);
const A_5 = among([["", -1, -1], ["ed", 0, 2], ["eed", 1, 1], ["ing", 0, 3], ["edly", 0, 2], ["eedly", 4, 1], ["ingly", 0, 2]]);
const A_6 = among([["", -1, 3], ["bb", 0, 2], ["dd", 0, 2], ["ff", 0, 2], ["gg", 0, 2], ["bl", 0, 1], ["mm", 0, 2], ["nn", 0, 2], ["pp", 0, 2], ["rr", 0, 2], ["at", 0, 1], ["tt", 0, 2], ["iz", 0, 1]]);
const A_7 = among([["anci", -1, 3], ["enci", -1, 2], ["ogi", -1, 14], ["li", -1, 16], ["bli", 3, 12], ["abli", 4, 4], ["alli", 3, 8], ["fulli", 3, 9], ["lessli", 3, 15], ["ousli", 3, 10], ["entli", 3, 5], ["aliti", -1, 8], ["biliti", -1, 12], ["iviti", -1, 11], ["tional", -1, 1], ["ational", 14, 7], ["alism", -1, 8], ["ation", -1, 7], ["ization", 17, 6], ["izer", -1, 6], ["ator", -1, 7], ["iveness", -1, 11], ["fulness", -1, 9], ["ousness", -1, 10], ["ogist", -1, 13]]);
const A_8 = among([["icate", -1, 4], ["ative", -1, 6], ["alize", -1, 3], ["iciti", -1, 4], ["ical", -1, 4], ["tional", -1, 1], ["ational", 5, 2], ["ful", -1, 5], ["ness", -1, 5]]);
const A_9 = among([["ic", -1, 1], ["ance", -1, 1], ["ence", -1, 1], ["able", -1, 1], ["ible", -1, 1], ["ate", -1, 1], ["ive", -1, 1], ["ize", -1, 1], ["iti", -1, 1], ["al", -1, 1], ["ism", -1, 1], ["ion", -1, 2], ["er", -1, 1], ["ous", -1, 1], ["ant", -1, 1], ["ent", -1, 1], ["ment", 15, 1], ["ement", 16, 1]]);
const A_10 = among([["e", -1, 1], ["l", -1, 2]]);
const A_11 = among([["andes", -1, -1], ["atlas", -1, -1], ["bias", -1, -1], ["cosmos", -1, -1], ["early", -1, 6], ["gently", -1, 4], ["howe", -1, -1], ["idly", -1, 3], ["news", -1, -1], ["only", -1, 7], ["singly", -1, 8], ["skies", -1, 2], ["skis", -1, 1], ["sky", -1, -1], ["ugly", -1, 5]]);
const G_aeo = [17, 64];
const G_v = [17, 65, 16, 1];
const G_v_WXY = [1, 17, 65, 208, 1];
const G_valid_LI = [55, 141, 2];
const S = Object.fromEntries(["past", "'", "y", "Y", "ski", "sky", "idl", "gentl", "ugli", "earli", "onli", "singl", "ss", "i", "ie", "ee", "e", "tion", "ence", "ance", "able", "ent", "ize", "ate", "al", "ful", "ous", "ive", "ble", "og", "l", "less", "ic", "s", "t"].map((s) => [s, B(s)]));

/** Prefilter the generated code uses before an among: is byte `b` in `mask`? */
function maskHas(b, mask) {
  return b >> 5 === 3 && ((mask >> (b & 0x1f)) & 1) !== 0;
}

function rShortv(env) {
  const v1 = env.limit - env.cursor;
  lab1: {
    if (!env.outGroupingB(G_v_WXY, 89, 121)) break lab1;
    if (!env.inGroupingB(G_v, 97, 121)) break lab1;
    if (!env.outGroupingB(G_v, 97, 121)) break lab1;
    return true;
  }
  env.cursor = env.limit - v1;
  lab2: {
    if (!env.outGroupingB(G_v, 97, 121)) break lab2;
    if (!env.inGroupingB(G_v, 97, 121)) break lab2;
    if (env.cursor > env.lb) break lab2;
    return true;
  }
  env.cursor = env.limit - v1;
  return env.eqSB(S.past);
}

/** English (Snowball) stem of a lowercased, folded word. */
export function stem(word) {
  const env = new Env(Array.from(encoder.encode(word)));
  stemEnv(env);
  return decoder.decode(new Uint8Array(env.cur));
}

function stemEnv(env) {
  let amongVar;
  let yFound = false;
  let p1;
  let p2;
  const v1 = env.cursor;
  lab1: {
    env.bra = env.cursor;
    if (env.cursor + 2 >= env.limit || !maskHas(env.byte(env.cursor + 2), 42750482)) break lab1;
    amongVar = env.findAmong(A_11);
    if (amongVar === 0) break lab1;
    env.ket = env.cursor;
    if (env.cursor < env.limit) break lab1;
    const to = [null, "ski", "sky", "idl", "gentl", "ugli", "earli", "onli", "singl"][amongVar];
    if (to) env.sliceFrom(S[to]);
    return;
  }
  env.cursor = v1;
  if (!env.hop(3)) return;
  env.cursor = v1;
  // Initial apostrophe, and y marked as a consonant (Y).
  const v2 = env.cursor;
  env.bra = env.cursor;
  if (env.eqS(S["'"])) {
    env.ket = env.cursor;
    env.sliceDel();
  }
  env.cursor = v2;
  const v3 = env.cursor;
  env.bra = env.cursor;
  if (env.eqS(S.y)) {
    env.ket = env.cursor;
    env.sliceFrom(S.Y);
    yFound = true;
  }
  env.cursor = v3;
  const v4 = env.cursor;
  replab8: for (;;) {
    const v5 = env.cursor;
    lab9: {
      for (;;) {
        const v6 = env.cursor;
        lab11: {
          if (!env.inGrouping(G_v, 97, 121)) break lab11;
          env.bra = env.cursor;
          if (!env.eqS(S.y)) break lab11;
          env.ket = env.cursor;
          env.cursor = v6;
          env.sliceFrom(S.Y);
          yFound = true;
          continue replab8;
        }
        env.cursor = v6;
        if (env.cursor >= env.limit) break lab9;
        env.nextChar();
      }
    }
    env.cursor = v5;
    break;
  }
  env.cursor = v4;
  // Regions R1 and R2.
  p1 = env.limit;
  p2 = env.limit;
  const v7 = env.cursor;
  lab13: {
    lab14: {
      const v8 = env.cursor;
      lab15: {
        if (env.cursor + 3 >= env.limit || !maskHas(env.byte(env.cursor + 3), 5513250)) break lab15;
        if (env.findAmong(A_0) === 0) break lab15;
        break lab14;
      }
      env.cursor = v8;
      if (!env.goOutGrouping(G_v, 97, 121)) break lab13;
      env.nextChar();
      if (!env.goInGrouping(G_v, 97, 121)) break lab13;
      env.nextChar();
    }
    p1 = env.cursor;
    if (!env.goOutGrouping(G_v, 97, 121)) break lab13;
    env.nextChar();
    if (!env.goInGrouping(G_v, 97, 121)) break lab13;
    env.nextChar();
    p2 = env.cursor;
  }
  env.cursor = v7;
  env.lb = env.cursor;
  env.cursor = env.limit;
  // Step 1a.
  const v9 = env.limit - env.cursor;
  lab16: {
    const v10 = env.limit - env.cursor;
    lab17: {
      env.ket = env.cursor;
      if (env.cursor <= env.lb || (env.byte(env.cursor - 1) !== 39 && env.byte(env.cursor - 1) !== 115)) {
        env.cursor = env.limit - v10;
        break lab17;
      }
      if (env.findAmongB(A_1) === 0) {
        env.cursor = env.limit - v10;
        break lab17;
      }
      env.bra = env.cursor;
      env.sliceDel();
    }
    env.ket = env.cursor;
    if (env.cursor <= env.lb || (env.byte(env.cursor - 1) !== 100 && env.byte(env.cursor - 1) !== 115)) break lab16;
    amongVar = env.findAmongB(A_2);
    if (amongVar === 0) break lab16;
    env.bra = env.cursor;
    if (amongVar === 1) env.sliceFrom(S.ss);
    else if (amongVar === 2) {
      const v11 = env.limit - env.cursor;
      if (env.hopBack(2)) env.sliceFrom(S.i);
      else {
        env.cursor = env.limit - v11;
        env.sliceFrom(S.ie);
      }
    } else if (amongVar === 3) {
      if (env.cursor <= env.lb) break lab16;
      env.previousChar();
      if (!env.goOutGroupingB(G_v, 97, 121)) break lab16;
      env.previousChar();
      env.sliceDel();
    }
  }
  env.cursor = env.limit - v9;
  // Step 1b.
  const v12 = env.limit - env.cursor;
  lab20: {
    env.ket = env.cursor;
    if (env.cursor - 1 <= env.lb || !maskHas(env.byte(env.cursor - 1), 33554576)) amongVar = -1;
    else amongVar = env.findAmongB(A_5);
    env.bra = env.cursor;
    lab21: {
      const v13 = env.limit - env.cursor;
      lab22: {
        if (amongVar === 1) {
          const v14 = env.limit - env.cursor;
          lab23: {
            if (p1 > env.cursor) break lab23;
            lab24: {
              const v15 = env.limit - env.cursor;
              lab25: {
                if (env.cursor - 2 <= env.lb || env.byte(env.cursor - 1) !== 99) break lab25;
                if (env.findAmongB(A_3) === 0) break lab25;
                if (env.cursor > env.lb) break lab25;
                break lab24;
              }
              env.cursor = env.limit - v15;
              env.sliceFrom(S.ee);
            }
          }
          env.cursor = env.limit - v14;
        } else if (amongVar === 2) {
          break lab22;
        } else if (amongVar === 3) {
          if (env.cursor <= env.lb || !maskHas(env.byte(env.cursor - 1), 34881536)) break lab22;
          amongVar = env.findAmongB(A_4);
          if (amongVar === 0) break lab22;
          if (amongVar === 1) {
            const v16 = env.limit - env.cursor;
            if (!env.outGroupingB(G_v, 97, 121)) break lab22;
            if (env.cursor > env.lb) break lab22;
            env.cursor = env.limit - v16;
            env.bra = env.cursor;
            env.sliceFrom(S.ie);
          } else if (amongVar === 2) {
            if (env.cursor > env.lb) break lab22;
          }
        }
        break lab21;
      }
      env.cursor = env.limit - v13;
      const v17 = env.limit - env.cursor;
      if (!env.goOutGroupingB(G_v, 97, 121)) break lab20;
      env.previousChar();
      env.cursor = env.limit - v17;
      env.sliceDel();
      env.ket = env.cursor;
      env.bra = env.cursor;
      const v18 = env.limit - env.cursor;
      if (env.cursor - 1 <= env.lb || !maskHas(env.byte(env.cursor - 1), 68514004)) amongVar = 3;
      else amongVar = env.findAmongB(A_6);
      if (amongVar === 1) {
        env.sliceFrom(S.e);
        break lab20;
      } else if (amongVar === 2) {
        const v19 = env.limit - env.cursor;
        lab26: {
          if (!env.inGroupingB(G_aeo, 97, 111)) break lab26;
          if (env.cursor > env.lb) break lab26;
          break lab20;
        }
        env.cursor = env.limit - v19;
      } else if (amongVar === 3) {
        if (env.cursor !== p1) break lab20;
        const v20 = env.limit - env.cursor;
        if (!rShortv(env)) break lab20;
        env.cursor = env.limit - v20;
        env.sliceFrom(S.e);
        break lab20;
      }
      env.cursor = env.limit - v18;
      env.ket = env.cursor;
      if (env.cursor <= env.lb) break lab20;
      env.previousChar();
      env.bra = env.cursor;
      env.sliceDel();
    }
  }
  env.cursor = env.limit - v12;
  // Step 1c.
  const v21 = env.limit - env.cursor;
  lab27: {
    env.ket = env.cursor;
    if (!env.eqSB(S.y) && !env.eqSB(S.Y)) break lab27;
    env.bra = env.cursor;
    if (!env.outGroupingB(G_v, 97, 121)) break lab27;
    if (env.cursor <= env.lb) break lab27;
    env.sliceFrom(S.i);
  }
  env.cursor = env.limit - v21;
  // Step 2.
  const v22 = env.limit - env.cursor;
  lab30: {
    env.ket = env.cursor;
    if (env.cursor - 1 <= env.lb || !maskHas(env.byte(env.cursor - 1), 1864192)) break lab30;
    amongVar = env.findAmongB(A_7);
    if (amongVar === 0) break lab30;
    env.bra = env.cursor;
    if (p1 > env.cursor) break lab30;
    const to = [null, "tion", "ence", "ance", "able", "ent", "ize", "ate", "al", "ful", "ous", "ive", "ble", "og", null, "less", null][amongVar];
    if (amongVar === 14) {
      if (!env.eqSB(S.l)) break lab30;
      env.sliceFrom(S.og);
    } else if (amongVar === 16) {
      if (!env.inGroupingB(G_valid_LI, 99, 116)) break lab30;
      env.sliceDel();
    } else if (to) env.sliceFrom(S[to]);
  }
  env.cursor = env.limit - v22;
  // Step 3.
  const v23 = env.limit - env.cursor;
  lab31: {
    env.ket = env.cursor;
    if (env.cursor - 2 <= env.lb || !maskHas(env.byte(env.cursor - 1), 528928)) break lab31;
    amongVar = env.findAmongB(A_8);
    if (amongVar === 0) break lab31;
    env.bra = env.cursor;
    if (p1 > env.cursor) break lab31;
    if (amongVar === 1) env.sliceFrom(S.tion);
    else if (amongVar === 2) env.sliceFrom(S.ate);
    else if (amongVar === 3) env.sliceFrom(S.al);
    else if (amongVar === 4) env.sliceFrom(S.ic);
    else if (amongVar === 5) env.sliceDel();
    else if (amongVar === 6) {
      if (p2 > env.cursor) break lab31;
      env.sliceDel();
    }
  }
  env.cursor = env.limit - v23;
  // Step 4.
  const v24 = env.limit - env.cursor;
  lab32: {
    env.ket = env.cursor;
    if (env.cursor - 1 <= env.lb || !maskHas(env.byte(env.cursor - 1), 1864232)) break lab32;
    amongVar = env.findAmongB(A_9);
    if (amongVar === 0) break lab32;
    env.bra = env.cursor;
    if (p2 > env.cursor) break lab32;
    if (amongVar === 1) env.sliceDel();
    else if (amongVar === 2) {
      if (!env.eqSB(S.s) && !env.eqSB(S.t)) break lab32;
      env.sliceDel();
    }
  }
  env.cursor = env.limit - v24;
  // Step 5.
  const v25 = env.limit - env.cursor;
  lab35: {
    env.ket = env.cursor;
    if (env.cursor <= env.lb || (env.byte(env.cursor - 1) !== 101 && env.byte(env.cursor - 1) !== 108)) break lab35;
    amongVar = env.findAmongB(A_10);
    if (amongVar === 0) break lab35;
    env.bra = env.cursor;
    if (amongVar === 1) {
      lab36: {
        if (!(p2 > env.cursor)) break lab36;
        if (p1 > env.cursor) break lab35;
        const v26 = env.limit - env.cursor;
        if (rShortv(env)) break lab35;
        env.cursor = env.limit - v26;
      }
      env.sliceDel();
    } else if (amongVar === 2) {
      if (p2 > env.cursor) break lab35;
      if (!env.eqSB(S.l)) break lab35;
      env.sliceDel();
    }
  }
  env.cursor = env.limit - v25;
  env.cursor = env.lb;
  // Y back to y.
  const v27 = env.cursor;
  if (yFound) {
    replab40: for (;;) {
      const v28 = env.cursor;
      lab41: {
        for (;;) {
          const v29 = env.cursor;
          lab43: {
            env.bra = env.cursor;
            if (!env.eqS(S.Y)) break lab43;
            env.ket = env.cursor;
            env.cursor = v29;
            env.sliceFrom(S.y);
            continue replab40;
          }
          env.cursor = v29;
          if (env.cursor >= env.limit) break lab41;
          env.nextChar();
        }
      }
      env.cursor = v28;
      break;
    }
  }
  env.cursor = v27;
}

// English spelling variants, searched as one word (docs/search.md, "Query
// words"): American forms become British, the site's spelling, before
// stemming. `VARIANT_IZE` lists roots that take -ize/-ise (and -ization,
// -izing…); `VARIANT_PAIRS` other pairs. src/search/lexicon.rs reads these
// two lines, so the index and this client agree.
const VARIANT_IZE = "organ standard priorit digit digital modern util optim mobil special real recogn commercial industrial urban capital harmon local social central decentral final formal institutional legal personal privat incentiv synchron author categor character computer critic emphas minim maxim global international summar stabil subsid sensit visual revital material operational popular systemat energ normal rational scrutin memor monet neutral penal fertil immun apolog familiar";
const VARIANT_PAIRS = "center centre|centers centres|centered centred|program programme|programs programmes|meter metre|meters metres|fiber fibre|fibers fibres|theater theatre|liter litre|labor labour|favor favour|favorable favourable|behavior behaviour|neighbor neighbour|neighborhood neighbourhood|color colour|honor honour|harbor harbour|endeavor endeavour|license licence|defense defence|offense offence|catalog catalogue|dialog dialogue|analog analogue|analyze analyse|analyzed analysed|analyzes analyses|analyzing analysing|catalyze catalyse|enrollment enrolment|fulfill fulfil|installment instalment|traveling travelling|traveler traveller|traveled travelled|modeling modelling|modeled modelled|labeling labelling|labeled labelled|canceled cancelled|canceling cancelling|counseling counselling|counselor counsellor|fueled fuelled|signaling signalling|aging ageing|aluminum aluminium";

let variants;
/** The British spelling of a folded English word, or the word itself. */
export function variant(word) {
  if (!variants) {
    variants = new Map();
    for (const root of VARIANT_IZE.split(" ")) {
      for (const end of ["e", "es", "ed", "ing", "ation", "ations", "er", "ers"]) variants.set(`${root}iz${end}`, `${root}is${end}`);
    }
    for (const pair of VARIANT_PAIRS.split("|")) {
      const [from, to] = pair.split(" ");
      variants.set(from, to);
    }
  }
  return variants.get(word) ?? word;
}
