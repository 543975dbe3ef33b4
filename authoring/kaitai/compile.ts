// Compiles spec/formats/asl_tgk_index_segment.ksy with the Kaitai Struct compiler (the npm build of the
// Scala compiler) at run time, evaluates the generated JavaScript parser and returns a parse function.
// The compiled parser is cached in memory for the life of the process (a compile takes about half a
// second, most of it loading the 6 MB compiler).
//
// Two things the generated code needs that this module supplies:
// - The generated file is UMD: under CommonJS it calls require("kaitai-struct/KaitaiStream") and writes
//   its class to exports.AslTgkIndexSegment. We run it with vm.compileFunction and hand it module,
//   exports and a require that only knows the runtime.
// - kaitai-struct 0.11.0's Validation*Error constructors drop the (io, srcPath) arguments the 0.11
//   compiler passes, so an error would not say which `valid` failed. The runtime handed to the parser
//   is a subclass whose error classes keep srcPath (e.g. "/types/asl_record/seq/4") and the position
//   in the (sub)stream, and append both to the message.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import YAML from "yaml";

export const KSY_PATH = fileURLToPath(
  new URL("../../spec/formats/asl_tgk_index_segment.ksy", import.meta.url),
);

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------------
// A minimal hand-written type of the generated parser's objects (field names are the .ksy ids in
// lowerCamelCase, as the JavaScript target writes them). Enum fields hold their integer value.

/** A 64-bit field as two u4 halves (see the .ksy doc); `value` is a JS number, exact below 2^53 only. */
export interface KU64 {
  lo: number;
  hi: number;
  value: number;
}

export interface KHeader {
  magic: Uint8Array;
  version: number;
  flags: number;
  segmentId: KU64;
  logseqMin: KU64;
  logseqMax: KU64;
  aslRecordCount: KU64;
  tgkRecordCount: KU64;
  recordAreaOffset: KU64;
  footerOffset: KU64;
  hasNodeProjections: boolean;
}

export interface KFilterHeader {
  filterType: number;
  version: number;
  flags: number;
  sizeBytes: KU64;
  isKnown: boolean;
  knownKind: number;
  domain: number;
  paddingLen: number;
}

export interface KBloomPayload {
  numBits: number;
  numHashes: number;
  seed: KU64;
  bits: Uint8Array;
}

export interface KXor8Payload {
  seed: KU64;
  blockLength: number;
  reserved: number;
  fingerprints: Uint8Array;
}

export interface KFilter {
  header: KFilterHeader;
  /** bloom_payload, xor8_payload, or the raw bytes of a filter this profile does not implement. */
  payload: KBloomPayload | KXor8Payload | Uint8Array;
  padding: number[];
}

export interface KAslRecord {
  i: number;
  logseq: KU64;
  artifactId: KU64;
  typeTag: number;
  hasTypeTag: number;
  reserved: number;
  flags: number;
  isTombstone: boolean;
}

export interface KTgkRecord {
  i: number;
  logseq: KU64;
  tgkEdgeId: KU64;
  edgeTypeKey: number;
  hasEdgeType: number;
  role: number;
  flags: number;
  isTombstone: boolean;
}

export interface KNodeEdgeRef {
  i: number;
  logseq: KU64;
  nodeId: KU64;
  tgkEdgeId: KU64;
  position: number;
  reserved: Uint8Array;
}

export interface KAccelBlockHeader {
  blockType: number;
  version: number;
  flags: number;
  sizeBytes: KU64;
  isKnown: boolean;
  knownKind: number;
  paddingLen: number;
}

export interface KAccelBlock {
  header: KAccelBlockHeader;
  /** node_edge_refs, or the raw bytes of a block this profile does not implement. */
  payload: { refs: KNodeEdgeRef[] } | Uint8Array;
  padding: number[];
}

export interface KFooter {
  checksum: KU64;
  aslRecordBytes: KU64;
  tgkRecordBytes: KU64;
  filterBytes: KU64;
}

export interface KaitaiSegment {
  header: KHeader;
  filterArea: { filters: KFilter[] };
  aslRecords: KAslRecord[];
  tgkRecords: KTgkRecord[];
  accelArea: { blocks: KAccelBlock[] };
  accelAreaOffset: number;
  /** A lazy `pos` instance: parsed (and validated) on first read. */
  footer: KFooter;
}

/** The enums of the .ksy as the generated code exposes them: NAME -> value and value -> NAME. */
export type KEnum = Readonly<Record<string, string | number>>;

export interface KaitaiEnums {
  FilterType: KEnum;
  FilterDomain: KEnum;
  BlockType: KEnum;
  Role: KEnum;
  NodePosition: KEnum;
}

/** A Kaitai validation or end-of-stream error, with the .ksy path of the failing `valid` when known. */
export interface KaitaiParseError extends Error {
  /** e.g. "ValidationNotEqualError", "ValidationExprError", "ValidationNotInEnumError", "EOFError". */
  name: string;
  /** The .ksy path of the failing check, e.g. "/types/asl_record/seq/4" (validation errors only). */
  srcPath?: string;
  /** The stream position right after the failing field, relative to its (sub)stream. */
  streamPos?: number;
}

export interface ParseOptions {
  /** When false, lazy instances (footer, value, prev, ...) are left unread. Default true. */
  eager?: boolean;
}

export type KaitaiParse = (bytes: Uint8Array, options?: ParseOptions) => KaitaiSegment;

export interface KaitaiModule {
  parse: KaitaiParse;
  enums: KaitaiEnums;
  /** The generated JavaScript, for inspection. */
  source: string;
  /** Wall time of the compile call (compiler load excluded), in milliseconds. */
  compileMs: number;
  /** Wall time of loading the compiler module, in milliseconds (0 when it was already loaded). */
  compilerLoadMs: number;
}

// ---------------------------------------------------------------------------------------------------

interface KaitaiCompiler {
  version: string;
  compile(lang: string, ksy: unknown, importer: unknown, debug: boolean): Promise<Record<string, string>>;
}

type ErrorCtor = new (...args: unknown[]) => Error;

interface KaitaiStreamCtor {
  new (buffer: ArrayBuffer): object;
  [key: string]: unknown;
}

const VALIDATION_ERRORS = [
  "ValidationNotEqualError",
  "ValidationLessThanError",
  "ValidationGreaterThanError",
  "ValidationNotAnyOfError",
  "ValidationNotInEnumError",
  "ValidationExprError",
] as const;

/** The runtime, with error classes that keep the srcPath the generated code passes (see top). */
function runtimeForParser(): KaitaiStreamCtor {
  const Base = require("kaitai-struct/KaitaiStream") as KaitaiStreamCtor;
  const Runtime = class extends (Base as unknown as new (buffer: ArrayBuffer) => object) {};
  const statics = Runtime as unknown as Record<string, unknown>;
  for (const name of VALIDATION_ERRORS) {
    const BaseError = Base[name] as ErrorCtor;
    // Every validation error's last two arguments are (io, srcPath); the ones before go to the base.
    statics[name] = function (this: unknown, ...args: unknown[]) {
      const srcPath = args.at(-1);
      const io = args.at(-2) as { pos?: number } | undefined;
      const err = new BaseError(...args.slice(0, -2)) as KaitaiParseError;
      if (typeof srcPath === "string") err.srcPath = srcPath;
      if (io && typeof io.pos === "number") err.streamPos = io.pos;
      err.message += ` at ${String(srcPath)} (stream position ${String(io?.pos)})`;
      return err;
    };
  }
  return Runtime as unknown as KaitaiStreamCtor;
}

let cached: Promise<KaitaiModule> | undefined;

/** Compiles the .ksy (once per process) and returns the parser, its enums and the generated source. */
export function loadKaitaiModule(): Promise<KaitaiModule> {
  cached ??= build();
  // A failed compile is not cached, so a fixed .ksy can be retried in the same process.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

/** The parse function of the compiled .ksy; see loadKaitaiModule. */
export async function loadKaitaiParser(): Promise<KaitaiParse> {
  return (await loadKaitaiModule()).parse;
}

async function build(): Promise<KaitaiModule> {
  const t0 = performance.now();
  const compiler = require("kaitai-struct-compiler") as KaitaiCompiler;
  const compilerLoadMs = performance.now() - t0;

  let ksy: unknown;
  try {
    ksy = YAML.parse(readFileSync(KSY_PATH, "utf8"));
  } catch (e) {
    throw new Error(`cannot read ${KSY_PATH} as YAML: ${String(e)}`);
  }

  const t1 = performance.now();
  let files: Record<string, string>;
  try {
    files = await compiler.compile("javascript", ksy, null, false);
  } catch (e) {
    // The compiler throws Scala exceptions; String() gives "…CompilationProblemException: (main): /path: error".
    throw new Error(`kaitai-struct-compiler ${compiler.version} failed on ${KSY_PATH}:\n${String(e)}`);
  }
  const compileMs = performance.now() - t1;

  const source = files["AslTgkIndexSegment.js"];
  if (source === undefined) {
    throw new Error(
      `compiling ${KSY_PATH} gave no AslTgkIndexSegment.js (got ${Object.keys(files).join(", ")})`,
    );
  }

  const Runtime = runtimeForParser();
  const exportsObj: Record<string, unknown> = {};
  const moduleObj = { exports: exportsObj };
  const requireForParser = (id: string): unknown => {
    if (id === "kaitai-struct/KaitaiStream") return Runtime;
    throw new Error(`generated Kaitai parser requested unknown module ${id}`);
  };
  const run = vm.compileFunction(source, ["module", "exports", "require"], {
    filename: "AslTgkIndexSegment.generated.js",
  });
  run(moduleObj, exportsObj, requireForParser);

  const Segment = exportsObj["AslTgkIndexSegment"] as
    | ((new (io: object) => KaitaiSegment) & KaitaiEnums)
    | undefined;
  if (typeof Segment !== "function") {
    throw new Error(`the parser generated from ${KSY_PATH} did not export AslTgkIndexSegment`);
  }

  const parse: KaitaiParse = (bytes, options = {}) => {
    // A private copy: the parser never sees (or could change) the caller's buffer.
    const segment = new Segment(new Runtime(bytes.slice().buffer));
    if (options.eager ?? true) readAllInstances(segment);
    return segment;
  };

  const enums: KaitaiEnums = {
    FilterType: Segment.FilterType,
    FilterDomain: Segment.FilterDomain,
    BlockType: Segment.BlockType,
    Role: Segment.Role,
    NodePosition: Segment.NodePosition,
  };
  return { parse, enums, source, compileMs, compilerLoadMs };
}

const SKIP_KEYS = new Set(["_io", "_parent", "_root", "_debug"]);

/**
 * Reads every lazy instance (getter) of a parsed object and of everything reachable from it, so that a
 * defect in a `pos` instance (the footer) or a value instance surfaces as an error now.
 */
export function readAllInstances(obj: unknown, seen: Set<object> = new Set()): void {
  if (obj === null || typeof obj !== "object" || seen.has(obj) || ArrayBuffer.isView(obj)) return;
  seen.add(obj);
  if (Array.isArray(obj)) {
    for (const item of obj) readAllInstances(item, seen);
    return;
  }
  const record = obj as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (SKIP_KEYS.has(key) || key.startsWith("_m_")) continue;
    readAllInstances(value, seen);
  }
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto === null || proto === Object.prototype) return;
  for (const [key, desc] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
    if (desc.get) readAllInstances(record[key], seen);
  }
}

/** The exact value of a 64-bit field: hi * 2^32 + lo. */
export function u64(x: KU64): bigint {
  return (BigInt(x.hi) << 32n) | BigInt(x.lo);
}
