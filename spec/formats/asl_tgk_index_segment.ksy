meta:
  id: asl_tgk_index_segment
  title: ENC-ASL-TGK-INDEX segment (merged on-disk index for ASL artifacts and TGK edges), profile 1
  file-extension: atxi
  license: Apache-2.0
  ks-version: "0.11"
  endian: le
doc: |
  One immutable index segment of ENC-ASL-TGK-INDEX as pinned by ASL-CONFORMANCE profile 1
  (spec/decisions.yaml, DEC-001..DEC-014). With no gaps and in this order: a 64-byte header,
  the filter area [64, record_area_offset), asl_record_count ASL records of 24 bytes,
  tgk_record_count TGK records of 24 bytes, the acceleration area up to footer_offset, and a
  32-byte footer that ends the segment. Every integer is unsigned little-endian; the magic is
  the four ASCII bytes "ATXI".

  64-bit values. Kaitai's JavaScript runtime reads a `u8` into a JS number, which loses
  precision above 2^53, and the profile's ids (artifact_id, tgk_edge_id, node_id, segment_id)
  use all 64 bits (ATXI-ASL-001, ATXI-INV-001). So every 64-bit field here is of the user type
  `uint64`: two `u4` halves `lo` (bytes 0..3) and `hi` (bytes 4..7), which together are exact
  in every target language (value = hi * 2^32 + lo; in JS: (BigInt(hi) << 32n) | BigInt(lo)),
  plus a convenience instance `value` (hi * 4294967296 + lo) that is exact only below 2^53.
  `value` is used only for sizes, counts and offsets, where a value above 2^53 cannot describe
  a real file anyway; every comparison of ids and logseqs in a `valid` below is written on the
  halves and is therefore exact.

  What Kaitai checks (`valid`, `contents`, `repeat: eos` framing; a defect raises a Kaitai
  validation or end-of-stream error):
    * magic (ATXI-HDR-001), version 1 (ATXI-HDR-002), header flag bits 1..15 zero (ATXI-HDR-003);
    * 1 <= logseq_min <= logseq_max, and each record's / node-edge ref's logseq inside them (ATXI-HDR-004);
    * footer_offset a multiple of 8 with footer_offset + 32 = segment size, record_area_offset a
      multiple of 8 in [64, footer_offset], the records ending at or before footer_offset
      (ATXI-HDR-005, ATXI-HDR-006, ATXI-FTR-001), and the footer's three byte counts (ATXI-FTR-001);
    * filter and block framing: the areas are exactly sequences of 16-byte headers plus payload
      plus zero padding to 8 (ATXI-FLT-001, ATXI-ACC-001, ATXI-LAY-002);
    * for known filters (type 1 or 2, version 1): domain 1..3 and flag bits 2..31 zero
      (ATXI-FLT-010), parameters in range and size_bytes matching them, unused bloom bits zero
      (ATXI-FLT-007, ATXI-FLT-008, ATXI-FLT-009); unknown filters and blocks are kept as raw
      bytes (ATXI-FLT-006, ATXI-ACC-001);
    * ASL / TGK records: reserved byte and flag bits 1..15 zero, booleans 0..1, absent tag / edge
      type zero, role 0..3, tombstones without payload, strictly increasing by (id, logseq)
      (ATXI-ASL-002..007, ATXI-TGK-002..006);
    * node-edge refs: block size a multiple of 32, HAS_NODE_PROJECTIONS set when a node-edge-ref
      block is present, position 1..2, reserved bytes zero, strictly increasing by
      (node_id, position, tgk_edge_id, logseq) (ATXI-NPR-001, ATXI-NPR-003, part of ATXI-NPR-004).

  What Kaitai cannot express (a conforming reader checks these in code):
    * the XXH64 footer checksum (ATXI-FTR-002, DEC-006): no hash functions in KS expressions;
    * the reader's check order and its error codes (ATXI-DEC-001, DEC-027, spec/errors.yaml
      reader_check_order): Kaitai fails at the first `valid` in parse order with a generic
      validation error naming the .ksy path (e.g. /types/asl_record/seq/4), not a SEG_* code;
      e.g. it checks the header flags before the footer, and cannot check the checksum first;
    * anything needing a search or an aggregate over a list: no logseq shared by two records
      (ATXI-VIS-005), every node-edge ref matching a live TGK record (ATXI-NPR-002), "exactly one"
      node-edge-ref block and "flag set only if such a block exists" (rest of ATXI-NPR-004);
    * filter contents: no false negatives (ATXI-FLT-002), determinism (ATXI-FLT-004);
    * exact comparison of the footer byte counts above 2^53 (they are compared via `value`);
    * every semantic rule (visibility, sharding, identity, determinism of the writer).
  Kaitai instances are lazy: `footer` and the `value`/`prev`/`domain` instances are only
  parsed (and validated) when read.
doc-ref:
  - ENC-ASL-TGK-INDEX (shared/seeds/002_7c2493dab04b12a8.txt) sections 3-8, 11
  - spec/decisions.yaml DEC-001, DEC-002, DEC-003, DEC-009, DEC-010, DEC-011, DEC-012, DEC-013, DEC-014
  - spec/rules/enc-asl-tgk-index.yaml ATXI-LAY-001
seq:
  - id: header
    type: header
    doc-ref: ATXI-LAY-001, ATXI-HDR-001..006, DEC-002
  - id: filter_area
    size: header.record_area_offset.value - 64
    type: filter_area
    doc: The filter area [64, record_area_offset).
    doc-ref: ATXI-FLT-001, DEC-003
  - id: asl_records
    type: asl_record(_index)
    repeat: expr
    repeat-expr: header.asl_record_count.value
    doc-ref: ATXI-ASL-001, ATXI-HDR-005, DEC-002, DEC-003
  - id: tgk_records
    type: tgk_record(_index)
    repeat: expr
    repeat-expr: header.tgk_record_count.value
    doc-ref: ATXI-TGK-001, ATXI-HDR-005, DEC-002, DEC-003
  - id: accel_area
    size: header.footer_offset.value - accel_area_offset
    type: accel_area
    doc: The acceleration area, from the end of the TGK records to footer_offset.
    doc-ref: ATXI-ACC-001, DEC-003
instances:
  accel_area_offset:
    value: header.record_area_offset.value + 24 * (header.asl_record_count.value + header.tgk_record_count.value)
    doc-ref: DEC-003
  footer:
    pos: header.footer_offset.value
    type: footer
    doc-ref: ATXI-FTR-001, DEC-002, DEC-003
types:
  uint64:
    doc: |
      An unsigned little-endian 64-bit integer as two u4 halves, so that it is exact in Kaitai's
      JavaScript runtime: value = hi * 2^32 + lo. `value` is a JS number, exact below 2^53 only.
    doc-ref: DEC-001, DEC-032
    seq:
      - id: lo
        type: u4
      - id: hi
        type: u4
    instances:
      value:
        value: hi * 4294967296 + lo
        doc: Approximate above 2^53 (JS number); compare lo/hi for exactness.

  header:
    doc: The 64-byte segment header.
    doc-ref: ATXI-HDR-001, ATXI-HDR-002, ATXI-HDR-003, ATXI-HDR-004, ATXI-HDR-006, DEC-001, DEC-002, DEC-014
    seq:
      - id: magic
        contents: ATXI
        doc-ref: ATXI-HDR-001, DEC-001
      - id: version
        type: u2
        valid: 1
        doc-ref: ATXI-HDR-002, DEC-014
      - id: flags
        type: u2
        valid:
          expr: (_ & 0xfffe) == 0
        doc: Bit 0 HAS_NODE_PROJECTIONS; bits 1..15 reserved (zero).
        doc-ref: ATXI-HDR-003, ATXI-NPR-004, DEC-012
      - id: segment_id
        type: uint64
        doc-ref: ATXI-HDR-007
      - id: logseq_min
        type: uint64
        valid:
          expr: _.hi != 0 or _.lo != 0
        doc: At least 1 (logseq = LogPosition + 1).
        doc-ref: ATXI-HDR-004, DEC-005
      - id: logseq_max
        type: uint64
        valid:
          expr: _.hi > logseq_min.hi or (_.hi == logseq_min.hi and _.lo >= logseq_min.lo)
        doc: logseq_min <= logseq_max, compared exactly on the halves.
        doc-ref: ATXI-HDR-004, DEC-005
      - id: asl_record_count
        type: uint64
        doc-ref: ATXI-HDR-005
      - id: tgk_record_count
        type: uint64
        doc-ref: ATXI-HDR-005
      - id: record_area_offset
        type: uint64
        valid:
          expr: (_.lo & 7) == 0 and _.value >= 64
        doc: A multiple of 8, at least 64 (the filter area is [64, record_area_offset)).
        doc-ref: ATXI-HDR-006, DEC-003
      - id: footer_offset
        type: uint64
        valid:
          expr: >-
            (_.lo & 7) == 0
            and _.value + 32 == _io.size
            and record_area_offset.value <= _.value
            and record_area_offset.value + 24 * (asl_record_count.value + tgk_record_count.value) <= _.value
        doc: |
          A multiple of 8; the 32-byte footer ends the segment; the record area starts at or before
          it and the ASL and TGK records end at or before it.
        doc-ref: ATXI-HDR-005, ATXI-HDR-006, ATXI-FTR-001, DEC-003
    instances:
      has_node_projections:
        value: (flags & 1) != 0
        doc-ref: ATXI-NPR-004, DEC-012

  filter_area:
    doc: Exactly a sequence of framed filters (a short or overrunning entry is an end-of-stream error).
    doc-ref: ATXI-FLT-001, DEC-003
    seq:
      - id: filters
        type: filter
        repeat: eos

  filter:
    doc-ref: ATXI-FLT-001, ATXI-FLT-006, DEC-002, DEC-011
    seq:
      - id: header
        type: filter_header
      - id: payload
        size: header.size_bytes.value
        type:
          switch-on: header.known_kind
          cases:
            1: bloom_payload
            2: xor8_payload
        doc: Unknown (filter_type, version) pairs are kept as raw bytes and ignored (DEC-011).
        doc-ref: ATXI-FLT-006, DEC-011
      - id: padding
        type: u1
        repeat: expr
        repeat-expr: header.padding_len
        valid: 0
        doc: Zero bytes up to the next multiple of 8 (not counted in size_bytes).
        doc-ref: ATXI-FLT-001, ATXI-LAY-002, DEC-002

  filter_header:
    doc: The 16-byte filter header.
    doc-ref: ATXI-FLT-001, DEC-002
    seq:
      - id: filter_type
        type: u2
        enum: filter_type
      - id: version
        type: u2
      - id: flags
        type: u4
        valid:
          expr: not is_known or ((_ & 3) != 0 and (_ & 0xfffffffc) == 0)
        doc: Bits 0..1 the domain (1..3), bits 2..31 reserved; checked for known filters only.
        doc-ref: ATXI-FLT-010, DEC-007
      - id: size_bytes
        type: uint64
        doc: Length of the payload, padding excluded.
    instances:
      is_known:
        value: version == 1 and (filter_type == filter_type::bloom or filter_type == filter_type::xor8)
        doc-ref: ATXI-FLT-006, DEC-011
      known_kind:
        value: "is_known ? filter_type.to_i : 0"
        doc: 1 bloom v1, 2 xor8 v1, 0 anything this profile does not implement.
      domain:
        value: flags & 3
        enum: filter_domain
        doc-ref: ATXI-FLT-010, DEC-007
      padding_len:
        value: (8 - size_bytes.value % 8) % 8

  bloom_payload:
    doc: Bloom filter, type 1 version 1.
    doc-ref: ATXI-FLT-007, ATXI-FLT-009, DEC-009
    seq:
      - id: num_bits
        type: u4
        valid:
          expr: _ >= 1 and _parent.header.size_bytes.value == 16 + (_ + 7) / 8
        doc: m >= 1; size_bytes = 16 + ceil(m / 8).
      - id: num_hashes
        type: u4
        valid:
          min: 1
          max: 32
        doc: k in 1..32.
      - id: seed
        type: uint64
      - id: bits
        size: (num_bits + 7) / 8
        valid:
          expr: num_bits % 8 == 0 or (_.last >> (num_bits % 8)) == 0
        doc: Bit p is bit (p mod 8) of byte floor(p / 8); bits at p >= m are zero.

  xor8_payload:
    doc: xor8 filter, type 2 version 1.
    doc-ref: ATXI-FLT-008, ATXI-FLT-009, DEC-010
    seq:
      - id: seed
        type: uint64
      - id: block_length
        type: u4
        valid:
          expr: _ >= 1 and _parent.header.size_bytes.value == 16 + 3 * _
        doc: block_length >= 1; size_bytes = 16 + 3 * block_length.
      - id: reserved
        type: u4
        valid: 0
        doc-ref: ATXI-LAY-002
      - id: fingerprints
        size: 3 * block_length

  asl_record:
    doc: The 24-byte ASL artifact index record.
    doc-ref: ATXI-ASL-001, ATXI-ASL-002, ATXI-ASL-004, ATXI-ASL-005, ATXI-ASL-007, DEC-002, DEC-004, DEC-012, DEC-013
    params:
      - id: i
        type: s8
        doc: Index in asl_records, to reach the previous record.
    seq:
      - id: logseq
        type: uint64
        valid:
          expr: >-
            (_.hi > _root.header.logseq_min.hi or (_.hi == _root.header.logseq_min.hi and _.lo >= _root.header.logseq_min.lo))
            and (_.hi < _root.header.logseq_max.hi or (_.hi == _root.header.logseq_max.hi and _.lo <= _root.header.logseq_max.lo))
        doc-ref: ATXI-HDR-004
      - id: artifact_id
        type: uint64
        valid:
          expr: >-
            i == 0
            or _.hi > prev.artifact_id.hi
            or (_.hi == prev.artifact_id.hi and (_.lo > prev.artifact_id.lo
            or (_.lo == prev.artifact_id.lo and (logseq.hi > prev.logseq.hi
            or (logseq.hi == prev.logseq.hi and logseq.lo > prev.logseq.lo)))))
        doc: Strictly after the previous record by (artifact_id, logseq), compared exactly.
        doc-ref: ATXI-ASL-007, ATXI-INV-001, DEC-004
      - id: type_tag
        type: u4
      - id: has_type_tag
        type: u1
        valid:
          expr: _ <= 1 and (_ == 1 or type_tag == 0)
        doc: 0 or 1; when 0, type_tag is 0.
        doc-ref: ATXI-ASL-002, DEC-013
      - id: reserved
        type: u1
        valid: 0
        doc-ref: ATXI-ASL-004, ATXI-LAY-002, DEC-002
      - id: flags
        type: u2
        valid:
          expr: (_ & 0xfffe) == 0 and ((_ & 1) == 0 or (has_type_tag == 0 and type_tag == 0))
        doc: Bit 0 TOMBSTONE, bits 1..15 zero; a tombstone carries no type tag.
        doc-ref: ATXI-ASL-004, ATXI-ASL-005, DEC-012, DEC-013
    instances:
      is_tombstone:
        value: (flags & 1) != 0
      prev:
        value: _root.asl_records[i - 1]
        if: i > 0

  tgk_record:
    doc: The 24-byte TGK edge index record.
    doc-ref: ATXI-TGK-001, ATXI-TGK-002, ATXI-TGK-003, ATXI-TGK-004, ATXI-TGK-005, ATXI-TGK-006, DEC-002, DEC-004, DEC-012, DEC-013
    params:
      - id: i
        type: s8
        doc: Index in tgk_records, to reach the previous record.
    seq:
      - id: logseq
        type: uint64
        valid:
          expr: >-
            (_.hi > _root.header.logseq_min.hi or (_.hi == _root.header.logseq_min.hi and _.lo >= _root.header.logseq_min.lo))
            and (_.hi < _root.header.logseq_max.hi or (_.hi == _root.header.logseq_max.hi and _.lo <= _root.header.logseq_max.lo))
        doc-ref: ATXI-HDR-004
      - id: tgk_edge_id
        type: uint64
        valid:
          expr: >-
            i == 0
            or _.hi > prev.tgk_edge_id.hi
            or (_.hi == prev.tgk_edge_id.hi and (_.lo > prev.tgk_edge_id.lo
            or (_.lo == prev.tgk_edge_id.lo and (logseq.hi > prev.logseq.hi
            or (logseq.hi == prev.logseq.hi and logseq.lo > prev.logseq.lo)))))
        doc: Strictly after the previous record by (tgk_edge_id, logseq), compared exactly.
        doc-ref: ATXI-TGK-006, ATXI-INV-002, DEC-004
      - id: edge_type_key
        type: u4
      - id: has_edge_type
        type: u1
        valid:
          expr: _ <= 1 and (_ == 1 or edge_type_key == 0)
        doc: 0 or 1; when 0, edge_type_key is 0.
        doc-ref: ATXI-TGK-002, DEC-013
      - id: role
        type: u1
        enum: role
        valid:
          in-enum: true
        doc-ref: ATXI-TGK-003, DEC-013
      - id: flags
        type: u2
        valid:
          expr: >-
            (_ & 0xfffe) == 0
            and ((_ & 1) == 0 or (has_edge_type == 0 and edge_type_key == 0 and role == role::none))
        doc: Bit 0 TOMBSTONE, bits 1..15 zero; a tombstone carries no edge type and no role.
        doc-ref: ATXI-TGK-004, ATXI-TGK-005, DEC-012, DEC-013
    instances:
      is_tombstone:
        value: (flags & 1) != 0
      prev:
        value: _root.tgk_records[i - 1]
        if: i > 0

  accel_area:
    doc: Exactly a sequence of framed acceleration blocks.
    doc-ref: ATXI-ACC-001, DEC-003
    seq:
      - id: blocks
        type: accel_block
        repeat: eos

  accel_block:
    doc-ref: ATXI-ACC-001, DEC-002, DEC-003, DEC-011
    seq:
      - id: header
        type: accel_block_header
      - id: payload
        size: header.size_bytes.value
        type:
          switch-on: header.known_kind
          cases:
            1: node_edge_refs
        doc: Unknown (block_type, version) pairs are kept as raw bytes and skipped (DEC-011).
      - id: padding
        type: u1
        repeat: expr
        repeat-expr: header.padding_len
        valid: 0
        doc-ref: ATXI-ACC-001, ATXI-LAY-002, DEC-002

  accel_block_header:
    doc: The 16-byte acceleration block header.
    doc-ref: ATXI-ACC-001, DEC-002
    seq:
      - id: block_type
        type: u2
        enum: block_type
      - id: version
        type: u2
      - id: flags
        type: u4
        valid:
          expr: not is_known or _ == 0
        doc: Reserved in a known block (DEC-012); an unknown block's flags belong to its kind.
        doc-ref: ATXI-LAY-002, DEC-012
      - id: size_bytes
        type: uint64
        valid:
          expr: not is_known or (_.value % 32 == 0 and _root.header.has_node_projections)
        doc: |
          For a node-edge-ref block, a multiple of 32, and the header flag HAS_NODE_PROJECTIONS
          is set (the converse, and "exactly one such block", are beyond Kaitai).
        doc-ref: ATXI-ACC-001, ATXI-NPR-001, ATXI-NPR-004, DEC-003
    instances:
      is_known:
        value: block_type == block_type::node_edge_refs and version == 1
      known_kind:
        value: "is_known ? block_type.to_i : 0"
      padding_len:
        value: (8 - size_bytes.value % 8) % 8

  node_edge_refs:
    doc: Payload of block type 1 version 1.
    doc-ref: ATXI-NPR-001, ATXI-NPR-003, DEC-003
    seq:
      - id: refs
        type: node_edge_ref(_index)
        repeat: eos

  node_edge_ref:
    doc: The 32-byte node-edge ref (node projection).
    doc-ref: ATXI-NPR-001, ATXI-NPR-003, DEC-002, DEC-004, DEC-013
    params:
      - id: i
        type: s8
    seq:
      - id: logseq
        type: uint64
        valid:
          expr: >-
            (_.hi > _root.header.logseq_min.hi or (_.hi == _root.header.logseq_min.hi and _.lo >= _root.header.logseq_min.lo))
            and (_.hi < _root.header.logseq_max.hi or (_.hi == _root.header.logseq_max.hi and _.lo <= _root.header.logseq_max.lo))
        doc-ref: ATXI-HDR-004
      - id: node_id
        type: uint64
      - id: tgk_edge_id
        type: uint64
      - id: position
        type: u1
        enum: node_position
        valid:
          expr: >-
            (_ == node_position::from_side or _ == node_position::to_side)
            and (i == 0
            or node_id.hi > prev.node_id.hi
            or (node_id.hi == prev.node_id.hi and (node_id.lo > prev.node_id.lo
            or (node_id.lo == prev.node_id.lo and (_.to_i > prev.position.to_i
            or (_ == prev.position and (tgk_edge_id.hi > prev.tgk_edge_id.hi
            or (tgk_edge_id.hi == prev.tgk_edge_id.hi and (tgk_edge_id.lo > prev.tgk_edge_id.lo
            or (tgk_edge_id.lo == prev.tgk_edge_id.lo and (logseq.hi > prev.logseq.hi
            or (logseq.hi == prev.logseq.hi and logseq.lo > prev.logseq.lo))))))))))))
        doc: |
          1 from, 2 to; and the ref is strictly after the previous one by
          (node_id, position, tgk_edge_id, logseq), compared exactly.
        doc-ref: ATXI-NPR-001, ATXI-NPR-003, DEC-004, DEC-013
      - id: reserved
        contents: [0, 0, 0, 0, 0, 0, 0]
        doc-ref: ATXI-NPR-001, ATXI-LAY-002
    instances:
      prev:
        value: _parent.refs[i - 1]
        if: i > 0

  footer:
    doc: The 32-byte footer, the last 32 bytes of the segment.
    doc-ref: ATXI-FTR-001, ATXI-FTR-002, DEC-002, DEC-003, DEC-006
    seq:
      - id: checksum
        type: uint64
        doc: XXH64 (seed 0) of [0, footer_offset) then [footer_offset + 8, footer_offset + 32); not checkable in Kaitai.
        doc-ref: ATXI-FTR-002, DEC-006
      - id: asl_record_bytes
        type: uint64
        valid:
          expr: _.value == 24 * _root.header.asl_record_count.value
        doc-ref: ATXI-FTR-001, ATXI-HDR-005
      - id: tgk_record_bytes
        type: uint64
        valid:
          expr: _.value == 24 * _root.header.tgk_record_count.value
        doc-ref: ATXI-FTR-001, ATXI-HDR-005
      - id: filter_bytes
        type: uint64
        valid:
          expr: _.value == _root.header.record_area_offset.value - 64
        doc-ref: ATXI-FTR-001, ATXI-HDR-006

enums:
  filter_type:
    1: bloom
    2: xor8
  filter_domain:
    1: asl_artifact_id
    2: tgk_edge_id
    3: node_id
  block_type:
    1: node_edge_refs
  role:
    0: none
    1: from_side
    2: to_side
    3: both_sides
  node_position:
    1: from_side
    2: to_side
