"""fmix64 (DEC-008), bloom filter (DEC-009, type 1) and xor8 filter (DEC-010, type 2)."""
import struct

from .errors import AslError

_M = (1 << 64) - 1
_M32 = (1 << 32) - 1

BLOOM = 1
XOR8 = 2
BLOOM_SEED = 0x9E3779B97F4A7C15
BLOOM_K = 7


def fmix64(x):
    x &= _M
    x ^= x >> 33
    x = (x * 0xFF51AFD7ED558CCD) & _M
    x ^= x >> 33
    x = (x * 0xC4CEB9FE1A85EC53) & _M
    x ^= x >> 33
    return x


def _rotl64(x, r):
    return ((x << r) | (x >> (64 - r))) & _M


# ---------------------------------------------------------------- bloom (DEC-009)

def bloom_params(n_distinct):
    """The reference writer's m: max(64, 10 n rounded up to a multiple of 64)."""
    m = ((10 * n_distinct + 63) // 64) * 64
    return max(64, m)


def bloom_build(keys):
    ks = sorted(set(k & _M for k in keys))
    m = bloom_params(len(ks))
    k = BLOOM_K
    seed = BLOOM_SEED
    bits = bytearray((m + 7) // 8)
    for x in ks:
        h = fmix64(x ^ seed)
        h1 = h & _M32
        h2 = h >> 32
        for i in range(k):
            p = ((h1 + i * h2) & _M32) % m
            bits[p >> 3] |= 1 << (p & 7)
    return struct.pack("<IIQ", m, k, seed) + bytes(bits)


def bloom_parse(payload):
    """(m, k, seed, bits) or None when the payload cannot be a bloom filter."""
    if len(payload) < 16:
        return None
    m, k, seed = struct.unpack_from("<IIQ", payload, 0)
    if m < 1 or not 1 <= k <= 32 or len(payload) != 16 + (m + 7) // 8:
        return None
    return m, k, seed, payload[16:]


def bloom_probe_parsed(parsed, x):
    m, k, seed, bits = parsed
    h = fmix64((x & _M) ^ seed)
    h1 = h & _M32
    h2 = h >> 32
    for i in range(k):
        p = ((h1 + i * h2) & _M32) % m
        if not (bits[p >> 3] >> (p & 7)) & 1:
            return False
    return True


# ---------------------------------------------------------------- xor8 (DEC-010)

def splitmix64_seq():
    state = 0
    while True:
        state = (state + 0x9E3779B97F4A7C15) & _M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M
        yield z ^ (z >> 31)


def xor8_block_length(n):
    return (32 + (123 * n + 99) // 100) // 3


def _xor8_hash(x, seed):
    return fmix64((x + seed) & _M)


def _xor8_slots(h, bl):
    r0 = h & _M32
    r1 = _rotl64(h, 21) & _M32
    r2 = _rotl64(h, 42) & _M32
    return ((r0 * bl) >> 32, bl + ((r1 * bl) >> 32), 2 * bl + ((r2 * bl) >> 32))


def _xor8_fp(h):
    return (h ^ (h >> 32)) & 0xFF


def xor8_build(keys):
    """The writer pinned by DEC-010: one LIFO stack of positions, filled by an ascending scan of
    all 3*bl positions with count 1; pop the last pushed, skip it when its count is no longer 1,
    else peel its one remaining key (found through an xor of the keys) and, for j = 0, 1, 2 in
    that order, decrement the key's position j and push it when its count became 1. Fingerprints
    are assigned walking the peel list from its last entry to its first."""
    ks = sorted(set(k & _M for k in keys))
    n = len(ks)
    bl = xor8_block_length(n)
    size = 3 * bl
    seeds = splitmix64_seq()
    for _attempt in range(1000):
        seed = next(seeds)
        count = [0] * size
        xkeys = [0] * size          # xor of the keys having the position among their three
        slots = {}
        for x in ks:
            sl = _xor8_slots(_xor8_hash(x, seed), bl)
            slots[x] = sl
            for s in sl:
                count[s] += 1
                xkeys[s] ^= x
        stack = [p for p in range(size) if count[p] == 1]
        peeled = []
        while stack:
            p = stack.pop()
            if count[p] != 1:
                continue
            x = xkeys[p]
            peeled.append((x, p))
            for q in slots[x]:
                count[q] -= 1
                xkeys[q] ^= x
                if count[q] == 1:
                    stack.append(q)
        if len(peeled) == n:
            break
    else:
        raise ValueError("xor8: no seed found")
    fp = bytearray(size)
    for x, p in reversed(peeled):
        h = _xor8_hash(x, seed)
        s0, s1, s2 = slots[x]
        # fp[p] is still 0 here, so this is f(x) ^ F[a] ^ F[b] for the two other positions
        fp[p] = _xor8_fp(h) ^ fp[s0] ^ fp[s1] ^ fp[s2]
    return struct.pack("<QII", seed, bl, 0) + bytes(fp)


def xor8_parse(payload):
    if len(payload) < 16:
        return None
    seed, bl, reserved = struct.unpack_from("<QII", payload, 0)
    if bl < 1 or reserved or len(payload) != 16 + 3 * bl:
        return None
    return seed, bl, payload[16:]


def validate(kind, payload, base=0, size_off=None):
    """The filter-contents sub-checks of spec/errors.yaml on a payload (all but the domain and the
    flags, which live in the frame header): the first failure raises AslError. Offsets are `base`
    plus the offset inside the payload; the size checks report `size_off` (the frame's size_bytes
    field; None when there is no frame, as in filter.probe). Returns the parsed filter."""
    size = len(payload)

    def fail(code, off, field):
        raise AslError(code, "%s: %s" % (kind, field), off, field)

    if size < 16:
        fail("SEG_BAD_FILTER_PARAMS", size_off, "filter.size_bytes")
    if kind == "bloom":
        m, k, _seed = struct.unpack_from("<IIQ", payload, 0)
        if m < 1:
            fail("SEG_BAD_FILTER_PARAMS", base, "bloom.num_bits")
        if not 1 <= k <= 32:
            fail("SEG_BAD_FILTER_PARAMS", base + 4, "bloom.num_hashes")
        if size != 16 + (m + 7) // 8:
            fail("SEG_BAD_FILTER_PARAMS", size_off, "filter.size_bytes")
        if m % 8 and payload[size - 1] >> (m % 8):
            fail("SEG_RESERVED_NONZERO", base + size - 1, "bloom.bits")
        return bloom_parse(payload)
    _seed, bl, reserved = struct.unpack_from("<QII", payload, 0)
    if bl < 1:
        fail("SEG_BAD_FILTER_PARAMS", base + 8, "xor8.block_length")
    if reserved:
        fail("SEG_RESERVED_NONZERO", base + 12, "xor8.reserved")
    if size != 16 + 3 * bl:
        fail("SEG_BAD_FILTER_PARAMS", size_off, "filter.size_bytes")
    return xor8_parse(payload)


def xor8_probe_parsed(parsed, x):
    seed, bl, fp = parsed
    h = _xor8_hash(x, seed)
    s0, s1, s2 = _xor8_slots(h, bl)
    return (fp[s0] ^ fp[s1] ^ fp[s2]) == _xor8_fp(h)


# ---------------------------------------------------------------- generic

def build(kind, keys):
    if kind == "bloom":
        return bloom_build(keys)
    if kind == "xor8":
        return xor8_build(keys)
    raise ValueError(kind)


def parse(kind, payload):
    return bloom_parse(payload) if kind == "bloom" else xor8_parse(payload)


def probe_parsed(kind, parsed, x):
    if kind == "bloom":
        return bloom_probe_parsed(parsed, x)
    return xor8_probe_parsed(parsed, x)
