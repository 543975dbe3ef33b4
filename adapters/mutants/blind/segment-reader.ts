// Mutants written blind, from the spec alone: the segment reader (the DEC-027 check order and offsets,
// exact u64 arithmetic, reserved and padding bytes, 64-bit fields above 2^53). Each reader is used for
// seg.decode and for the segments of seg.query, as one reader would be.
import { AslError } from "../../../reference/common/errors.ts";
import { xxh64 } from "../../../reference/common/hash.ts";
import { decodeSegment } from "../../../reference/segment/decode.ts";
import type { Answer, DecodedSegment as WireSegment } from "../../interface.ts";
import { defineMutant, type Mutant } from "../mutant.ts";
import { type BlindRead, getU64, patched, readerHandlers, U64_MAX, view } from "./common.ts";

const MAGIC = [0x41, 0x54, 0x58, 0x49];

/** Whether the size, magic and version steps pass (the steps before the footer's). */
function headerOk(bytes: Uint8Array): boolean {
  return bytes.length >= 96 && MAGIC.every((b, i) => bytes[i] === b) && view(bytes).getUint16(4, true) === 1;
}

const plain = (bytes: Uint8Array): BlindRead => ({ seg: decodeSegment(bytes) });

// --- checksum read where the unchecked footer_offset says -------------------------------------------------

function readChecksumFirst(bytes: Uint8Array): BlindRead {
  if (headerOk(bytes)) {
    const fo = getU64(bytes, 56);
    // Only "the footer fits" is checked before the checksum; the exact placement comes after it.
    if (fo % 8n === 0n && fo >= 64n && fo + 32n < BigInt(bytes.length)) {
      const f = Number(fo);
      const stored = getU64(bytes, f);
      const computed = xxh64([bytes.subarray(0, f), bytes.subarray(f + 8, f + 32)]);
      if (stored !== computed)
        throw new AslError("SEG_CHECKSUM_MISMATCH", "footer checksum does not match", {
          offset: f,
          field: "footer.checksum",
        });
    }
  }
  return plain(bytes);
}

const checksumBeforeFooterOffset = defineMutant(
  {
    id: "blind-dec-checksum-before-footer-offset",
    description:
      "The reader verifies the checksum at the footer_offset the header gives once it merely fits in the segment, before checking that footer + 32 ends the segment, so a misplaced footer is reported SEG_CHECKSUM_MISMATCH instead of SEG_BAD_FOOTER_OFFSET.",
    rules: ["ATXI-DEC-001", "ATXI-HDR-006"],
    capabilities: ["segment-decode"],
  },
  () => readerHandlers(readChecksumFirst),
);

// --- 24 x count compared modulo 2^64 ---------------------------------------------------------------------

function readWrappingCounts(bytes: Uint8Array): BlindRead {
  try {
    return plain(bytes);
  } catch (e) {
    if (!(e instanceof AslError) || e.code !== "SEG_BAD_RECORD_COUNT" || e.offset === undefined) throw e;
    const fo = Number(getU64(bytes, 56));
    if (e.offset !== fo + 8 && e.offset !== fo + 16) throw e;
    const countAt = e.offset === fo + 8 ? 32 : 40;
    const count = getU64(bytes, countAt);
    const recordBytes = getU64(bytes, e.offset);
    if (((24n * count) & U64_MAX) !== recordBytes) throw e;
    // The wrapped product matched: the reader goes on with the table sized by the footer's byte count.
    const read = readWrappingCounts(
      patched(bytes, (c) => view(c).setBigUint64(countAt, recordBytes / 24n, true)),
    );
    const checksum = getU64(bytes, fo).toString();
    return {
      seg: read.seg,
      patch: (w) => {
        read.patch?.(w);
        if (countAt === 32) w.header.asl_record_count = count.toString();
        else w.header.tgk_record_count = count.toString();
        w.footer.checksum = checksum;
      },
    };
  }
}

const recordBytesWraparound = defineMutant(
  {
    id: "blind-dec-record-bytes-wraparound",
    description:
      "footer.asl_record_bytes and tgk_record_bytes are compared with 24 x count computed modulo 2^64, so a count near 2^61 whose product wraps to the footer's byte count passes and the records are read by the footer's count.",
    rules: ["ATXI-HDR-005", "ATXI-DEC-001"],
    capabilities: ["segment-decode"],
  },
  () => readerHandlers(readWrappingCounts),
);

// --- ids through a JS number -----------------------------------------------------------------------------

const viaNumber = (s: string): string => String(Number(s));

const idsThroughJsNumber = defineMutant(
  {
    id: "blind-dec-ids-through-js-number",
    description:
      "artifact_id and tgk_edge_id pass through a JavaScript number on their way out of the reader and the query answers, so ids above 2^53 lose their low bits.",
    rules: ["ATXI-ASL-001", "ATXI-TGK-001", "ATXI-INV-001"],
    capabilities: ["segment-decode", "segment-query"],
  },
  ({ ref }) => ({
    "seg.decode": (a) => {
      const r = ref["seg.decode"](a);
      for (const rec of r.segment.asl_records) rec.artifact_id = viaNumber(rec.artifact_id);
      for (const rec of r.segment.tgk_records) rec.tgk_edge_id = viaNumber(rec.tgk_edge_id);
      return r;
    },
    "seg.query": (a) => {
      const r = ref["seg.query"](a);
      for (const ans of r.answers) {
        if (!("ok" in ans)) continue;
        const ok: Answer = ans.ok;
        if ("edges" in ok) ok.edges = ok.edges.map(viaNumber);
        else if (ok.found) {
          const rec = ok.record;
          if ("artifact_id" in rec) rec.artifact_id = viaNumber(rec.artifact_id);
          else rec.tgk_edge_id = viaNumber(rec.tgk_edge_id);
        }
      }
      return r;
    },
  }),
);

// --- a record's flag and reserved checks run after its field checks ---------------------------------------

function readFlagsLast(bytes: Uint8Array): BlindRead {
  try {
    return plain(bytes);
  } catch (e) {
    if (!(e instanceof AslError) || e.code !== "SEG_RESERVED_NONZERO" || e.offset === undefined) throw e;
    const dv = view(bytes);
    const rao = Number(dv.getBigUint64(48, true));
    const tgkStart = rao + 24 * Number(dv.getBigUint64(32, true));
    const end = tgkStart + 24 * Number(dv.getBigUint64(40, true));
    const o = e.offset;
    if (o < rao || o >= end) throw e;
    const asl = o < tgkStart;
    const base = asl ? rao : tgkStart;
    const r = base + 24 * Math.floor((o - base) / 24);
    const has = bytes[r + 20]!;
    const tag = dv.getUint32(r + 16, true);
    const role = bytes[r + 21]!;
    // Fields in byte order first: the optional value, its has-byte, the role; the flag word last.
    if (has > 1) throw new AslError("SEG_BAD_BOOLEAN", "has byte is neither 0 nor 1", { offset: r + 20 });
    if (has === 0 && tag !== 0)
      throw new AslError("SEG_ABSENT_FIELD_NONZERO", "absent value is not zero", { offset: r + 16 });
    if (!asl && role > 3) throw new AslError("SEG_BAD_ROLE", `role ${role} is not 0..3`, { offset: r + 21 });
    throw e;
  }
}

const recordFlagsCheckedLast = defineMutant(
  {
    id: "blind-dec-record-flags-checked-last",
    description:
      "Within an ASL or TGK record the reader checks has_type_tag/has_edge_type, the absent value and the role before the reserved byte and flag bits (byte order instead of the DEC-027 order), so a record with both defects gets the field's code instead of SEG_RESERVED_NONZERO.",
    rules: ["ATXI-DEC-001"],
    capabilities: ["segment-decode"],
  },
  () => readerHandlers(readFlagsLast),
);

// --- footer_offset + 32 <= size --------------------------------------------------------------------------

function readIgnoringTail(bytes: Uint8Array): BlindRead {
  if (headerOk(bytes)) {
    const fo = getU64(bytes, 56);
    if (fo % 8n === 0n && fo >= 64n && fo + 32n < BigInt(bytes.length))
      return plain(bytes.subarray(0, Number(fo) + 32));
  }
  return plain(bytes);
}

const bytesAfterFooterIgnored = defineMutant(
  {
    id: "blind-dec-bytes-after-footer-ignored",
    description:
      "The footer step accepts footer_offset + 32 <= size instead of = size, so bytes after the footer are ignored instead of the segment being refused with SEG_BAD_FOOTER_OFFSET.",
    rules: ["ATXI-FTR-001", "ATXI-FTR-003", "ATXI-HDR-006"],
    capabilities: ["segment-decode"],
  },
  () => readerHandlers(readIgnoringTail),
);

// --- padding of acceleration blocks not checked ----------------------------------------------------------

function readAccelPaddingUnchecked(bytes: Uint8Array): BlindRead {
  try {
    return plain(bytes);
  } catch (e) {
    if (!(e instanceof AslError) || e.code !== "SEG_RESERVED_NONZERO" || e.offset === undefined) throw e;
    const dv = view(bytes);
    const rao = Number(dv.getBigUint64(48, true));
    const fo = Number(dv.getBigUint64(56, true));
    let pos = rao + 24 * Number(dv.getBigUint64(32, true)) + 24 * Number(dv.getBigUint64(40, true));
    while (pos + 16 <= fo) {
      const payloadEnd = pos + 16 + Number(dv.getBigUint64(pos + 8, true));
      const end = payloadEnd + ((8 - (payloadEnd % 8)) % 8);
      if (e.offset >= payloadEnd && e.offset < end) {
        const read = readAccelPaddingUnchecked(patched(bytes, (c) => c.fill(0, payloadEnd, end)));
        const checksum = getU64(bytes, fo).toString();
        return {
          seg: read.seg,
          patch: (w: WireSegment) => {
            read.patch?.(w);
            w.footer.checksum = checksum;
          },
        };
      }
      pos = end;
    }
    throw e;
  }
}

const accelPaddingUnchecked = defineMutant(
  {
    id: "blind-dec-accel-padding-unchecked",
    description:
      "The reader checks the zero padding after filter payloads but not after acceleration-block payloads, so a non-zero padding byte there is accepted instead of SEG_RESERVED_NONZERO.",
    rules: ["ATXI-LAY-002", "ATXI-ACC-001"],
    capabilities: ["segment-decode"],
  },
  () => readerHandlers(readAccelPaddingUnchecked),
);

export const segmentReaderMutants: readonly Mutant[] = [
  checksumBeforeFooterOffset,
  recordBytesWraparound,
  idsThroughJsNumber,
  recordFlagsCheckedLast,
  bytesAfterFooterIgnored,
  accelPaddingUnchecked,
];
