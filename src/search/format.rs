//! The binary pieces of the static index (docs/search.md, "Format"):
//! varints, posting lists and dictionary shards. The writer and the native
//! reader share this code; the browser client implements the same spec and
//! both are tested against tests/search/vectors.json.

use std::fmt;

/// Version of the index format, in every `meta.json`.
pub const FORMAT: u32 = 3;

/// A malformed index file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormatError {}

type Result<T> = std::result::Result<T, FormatError>;

/// Appends `v` as an unsigned LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads varints and bytes from a slice, never past its end.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub fn byte(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| FormatError("unexpected end of data".into()))?;
        self.pos += 1;
        Ok(b)
    }

    pub fn varint(&mut self) -> Result<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(FormatError("varint longer than 64 bits".into()))
    }

    /// A varint that must fit a count or offset in memory.
    pub fn size(&mut self) -> Result<usize> {
        let v = self.varint()?;
        usize::try_from(v)
            .ok()
            .filter(|&n| n <= u32::MAX as usize)
            .ok_or_else(|| FormatError(format!("size {v} out of range")))
    }

    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| FormatError("unexpected end of data".into()))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
}

const GAPS: u8 = 0;
const BITMAP: u8 = 1;

/// A posting list: sorted document numbers, and for term lists an impact
/// (1–15) per document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Postings {
    pub docs: Vec<u32>,
    pub impacts: Vec<u8>,
}

/// Encodes a posting list in whichever of the two layouts is smaller.
pub fn encode_postings(p: &Postings) -> Vec<u8> {
    encode(&p.docs, &p.impacts)
}

/// [`encode_postings`] of sorted `docs` and their `impacts` (none for a
/// filter list), written straight into one buffer of the right size.
pub fn encode(docs: &[u32], impacts: &[u8]) -> Vec<u8> {
    let layout = Layout::of(docs);
    let mut out = Vec::with_capacity(layout.len() + impacts.len().div_ceil(2));
    match layout {
        Layout::Gaps(_) => {
            out.push(GAPS);
            let mut prev = 0;
            for (i, &d) in docs.iter().enumerate() {
                put_varint(&mut out, u64::from(if i == 0 { d } else { d - prev }));
                prev = d;
            }
        }
        Layout::Bitmap { first, bytes } => {
            out.push(BITMAP);
            put_varint(&mut out, u64::from(first));
            put_varint(&mut out, bytes as u64);
            let at = out.len();
            out.resize(at + bytes, 0);
            for &d in docs {
                let i = (d - first) as usize;
                out[at + (i >> 3)] |= 1 << (i & 7);
            }
        }
    }
    for pair in impacts.chunks(2) {
        out.push(pair[0] | pair.get(1).map_or(0, |hi| hi << 4));
    }
    out
}

/// The length of [`encode`]'s bytes, without encoding.
pub fn encoded_len(docs: &[u32], impacts: &[u8]) -> usize {
    Layout::of(docs).len() + impacts.len().div_ceil(2)
}

/// Which layout a list of documents takes: gaps (with their encoded
/// length, marker included) or a bitmap from its first document.
enum Layout {
    Gaps(usize),
    Bitmap { first: u32, bytes: usize },
}

impl Layout {
    fn of(docs: &[u32]) -> Layout {
        let mut gaps = 1;
        let mut prev = 0;
        for (i, &d) in docs.iter().enumerate() {
            gaps += varint_len(u64::from(if i == 0 { d } else { d - prev }));
            prev = d;
        }
        match (docs.first(), docs.last()) {
            (Some(&first), Some(&last)) if ((last - first) as usize / 8 + 1) + 6 < gaps => {
                Layout::Bitmap { first, bytes: (last - first) as usize / 8 + 1 }
            }
            _ => Layout::Gaps(gaps),
        }
    }

    fn len(&self) -> usize {
        match *self {
            Layout::Gaps(len) => len,
            Layout::Bitmap { first, bytes } => {
                1 + varint_len(u64::from(first)) + varint_len(bytes as u64) + bytes
            }
        }
    }
}

/// How many bytes [`put_varint`] writes for `v`.
fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// Decodes a posting list of `df` documents; `impacts` says whether the
/// list carries them (term lists do, filter lists do not).
pub fn decode_postings(bytes: &[u8], df: usize, impacts: bool) -> Result<Postings> {
    let mut r = Reader::new(bytes);
    let mut docs = Vec::with_capacity(df);
    match r.byte()? {
        GAPS => {
            let mut doc: u64 = 0;
            for i in 0..df {
                let gap = r.varint()?;
                doc = if i == 0 { gap } else { doc + gap };
                docs.push(u32::try_from(doc).map_err(|_| FormatError("document number too large".into()))?);
            }
        }
        BITMAP => {
            let start = r.size()? as u32;
            let len = r.size()?;
            for (i, b) in r.bytes(len)?.iter().enumerate() {
                for bit in 0..8 {
                    if b & (1 << bit) != 0 {
                        docs.push(start + (i * 8 + bit) as u32);
                    }
                }
            }
            if docs.len() != df {
                return Err(FormatError(format!("bitmap holds {} documents, expected {df}", docs.len())));
            }
        }
        m => return Err(FormatError(format!("unknown posting layout {m}"))),
    }
    let mut out = Postings { docs, impacts: Vec::new() };
    if impacts {
        let packed = r.bytes(df.div_ceil(2))?;
        out.impacts = (0..df).map(|i| (packed[i / 2] >> (4 * (i % 2))) & 0x0f).collect();
    }
    Ok(out)
}

/// Where a term's postings are, or the term it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Postings stored in the dictionary entry itself.
    Inline(Vec<u8>),
    /// Postings in `p/<file>.bin` at `offset`, `len` bytes.
    File { file: usize, offset: usize, len: usize },
    /// An English word form that stands for its stem (prefix search).
    Alias(String),
    /// A long list cut in two (docs/search.md, "Heads and tails"): its
    /// `head_df` postings of highest impact in `p/<file>.bin` at `head`
    /// (`[file, offset, len]`), the others at `tail`; each part in document
    /// order.
    Split { head_df: usize, head: [usize; 3], tail: [usize; 3] },
}

/// One dictionary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub term: String,
    /// Documents the term occurs in (0 for an alias).
    pub df: usize,
    /// Score of impact 1: a posting scores `scale × impact`.
    pub scale: u32,
    pub target: Target,
}

const INLINE: u8 = 0;
const FILE: u8 = 1;
const ALIAS: u8 = 2;
const SPLIT: u8 = 3;

/// Encodes a dictionary shard: entries in term order, front-coded.
pub fn encode_shard(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    put_varint(&mut out, entries.len() as u64);
    let mut prev: &[u8] = b"";
    for e in entries {
        let term = e.term.as_bytes();
        let shared = prev.iter().zip(term).take_while(|(a, b)| a == b).count();
        put_varint(&mut out, shared as u64);
        put_varint(&mut out, (term.len() - shared) as u64);
        out.extend_from_slice(&term[shared..]);
        match &e.target {
            Target::Inline(bytes) => {
                out.push(INLINE);
                put_varint(&mut out, e.df as u64);
                put_varint(&mut out, u64::from(e.scale));
                put_varint(&mut out, bytes.len() as u64);
                out.extend_from_slice(bytes);
            }
            Target::File { file, offset, len } => {
                out.push(FILE);
                put_varint(&mut out, e.df as u64);
                put_varint(&mut out, u64::from(e.scale));
                for v in [file, offset, len] {
                    put_varint(&mut out, *v as u64);
                }
            }
            Target::Split { head_df, head, tail } => {
                out.push(SPLIT);
                put_varint(&mut out, e.df as u64);
                put_varint(&mut out, u64::from(e.scale));
                put_varint(&mut out, *head_df as u64);
                for v in head.iter().chain(tail) {
                    put_varint(&mut out, *v as u64);
                }
            }
            Target::Alias(to) => {
                out.push(ALIAS);
                put_varint(&mut out, to.len() as u64);
                out.extend_from_slice(to.as_bytes());
            }
        }
        prev = term;
    }
    out
}

/// Decodes a dictionary shard.
pub fn decode_shard(bytes: &[u8]) -> Result<Vec<Entry>> {
    let mut r = Reader::new(bytes);
    let count = r.size()?;
    let mut entries = Vec::with_capacity(count.min(bytes.len()));
    let mut term: Vec<u8> = Vec::new();
    for _ in 0..count {
        let shared = r.size()?;
        if shared > term.len() {
            return Err(FormatError("front coding shares more than the previous term".into()));
        }
        term.truncate(shared);
        let n = r.size()?;
        term.extend_from_slice(r.bytes(n)?);
        let text = String::from_utf8(term.clone()).map_err(|_| FormatError("term is not UTF-8".into()))?;
        let kind = r.byte()?;
        let (df, scale, target) = match kind {
            INLINE | FILE | SPLIT => {
                let df = r.size()?;
                let scale = r.size()? as u32;
                let target = match kind {
                    INLINE => {
                        let n = r.size()?;
                        Target::Inline(r.bytes(n)?.to_vec())
                    }
                    FILE => Target::File { file: r.size()?, offset: r.size()?, len: r.size()? },
                    _ => {
                        let head_df = r.size()?;
                        if head_df > df {
                            return Err(FormatError(format!("a head of {head_df} of {df} documents")));
                        }
                        let head = [r.size()?, r.size()?, r.size()?];
                        Target::Split { head_df, head, tail: [r.size()?, r.size()?, r.size()?] }
                    }
                };
                (df, scale, target)
            }
            ALIAS => {
                let n = r.size()?;
                let to = String::from_utf8(r.bytes(n)?.to_vec())
                    .map_err(|_| FormatError("alias is not UTF-8".into()))?;
                (0, 0, Target::Alias(to))
            }
            k => return Err(FormatError(format!("unknown entry kind {k}"))),
        };
        entries.push(Entry { term: text, df, scale, target });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_round_trip_in_both_layouts() {
        let sparse = Postings { docs: vec![3, 90, 1000], impacts: vec![1, 15, 7] };
        let dense = Postings { docs: (10..60).collect(), impacts: vec![2; 50] };
        for (p, layout) in [(&sparse, GAPS), (&dense, BITMAP)] {
            let bytes = encode_postings(p);
            assert_eq!(bytes[0], layout);
            assert_eq!(&decode_postings(&bytes, p.docs.len(), true).expect("decode"), p);
        }
        let filter = Postings { docs: vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], impacts: vec![] };
        assert_eq!(decode_postings(&encode_postings(&filter), 12, false).expect("decode"), filter);
    }

    /// docs/search.md's layouts as first written: gaps, then a bitmap if smaller.
    fn reference(p: &Postings) -> Vec<u8> {
        let mut gaps = vec![GAPS];
        let mut prev = 0;
        for (i, &d) in p.docs.iter().enumerate() {
            put_varint(&mut gaps, u64::from(if i == 0 { d } else { d - prev }));
            prev = d;
        }
        let mut out = match (p.docs.first(), p.docs.last()) {
            (Some(&first), Some(&last)) if ((last - first) as usize / 8 + 1) + 6 < gaps.len() => {
                let mut bitmap = vec![0u8; (last - first) as usize / 8 + 1];
                for &d in &p.docs {
                    let i = (d - first) as usize;
                    bitmap[i >> 3] |= 1 << (i & 7);
                }
                let mut out = vec![BITMAP];
                put_varint(&mut out, u64::from(first));
                put_varint(&mut out, bitmap.len() as u64);
                out.extend(bitmap);
                out
            }
            _ => gaps,
        };
        for pair in p.impacts.chunks(2) {
            out.push(pair[0] | pair.get(1).map_or(0, |hi| hi << 4));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn encoding_and_its_length_are_the_reference_ones(
            gaps in proptest::collection::vec(1u32..5000, 0..300),
            start in 0u32..100_000,
            with_impacts: bool,
            dense: bool,
        ) {
            // Dense lists take the bitmap layout, sparse ones the gaps.
            let gap = |g: u32| if dense { g % 3 + 1 } else { g };
            let docs: Vec<u32> = gaps.iter().scan(start, |d, &g| { *d += gap(g); Some(*d) }).collect();
            let impacts = if with_impacts { docs.iter().map(|d| (d % 15 + 1) as u8).collect() } else { vec![] };
            let p = Postings { docs, impacts };
            let bytes = encode_postings(&p);
            proptest::prop_assert_eq!(&bytes, &reference(&p));
            proptest::prop_assert_eq!(encoded_len(&p.docs, &p.impacts), bytes.len());
        }
    }

    #[test]
    fn varint_lengths_are_what_put_varint_writes() {
        for v in [0, 1, 127, 128, 16_383, 16_384, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(varint_len(v), out.len(), "{v}");
        }
    }

    #[test]
    fn shards_round_trip_and_reject_garbage() {
        let entries = vec![
            Entry { term: "hoc".into(), df: 2, scale: 9, target: Target::Inline(vec![0, 1, 2, 0x21]) },
            Entry {
                term: "hoc tap".into(),
                df: 300,
                scale: 4,
                target: Target::File { file: 2, offset: 7, len: 90 },
            },
            Entry { term: "^planning".into(), df: 0, scale: 0, target: Target::Alias("plan".into()) },
            Entry {
                term: "thanh".into(),
                df: 5000,
                scale: 3,
                target: Target::Split { head_df: 1024, head: [4, 0, 1600], tail: [5, 0, 6000] },
            },
        ];
        assert_eq!(decode_shard(&encode_shard(&entries)).expect("decode"), entries);
        assert!(decode_shard(&[5, 0, 200]).is_err());
        assert!(decode_postings(&[9], 1, true).is_err());
        assert!(Reader::new(&[0xff; 12]).varint().is_err());
    }
}
