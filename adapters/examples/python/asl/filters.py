"""fmix64 (DEC-008), bloom filter (DEC-009, type 1) and xor8 filter (DEC-010, type 2)."""
import struct

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
    """Peeling as in the published xor8 construction (Graf and Lemire):
    per-block queues of single slots, filled by an ascending scan of each block, drained
    block 0 then 1 then 2 (each as a stack: last in, first out), repeated until all three
    are empty; a peeled (key, slot) is pushed on a stack; success when every key was peeled;
    fingerprints are assigned popping that stack."""
    ks = sorted(set(k & _M for k in keys))
    n = len(ks)
    bl = xor8_block_length(n)
    size = 3 * bl
    seeds = splitmix64_seq()
    while True:
        seed = next(seeds)
        count = [0] * size
        xmask = [0] * size
        for x in ks:
            h = _xor8_hash(x, seed)
            for s in _xor8_slots(h, bl):
                count[s] += 1
                xmask[s] ^= h
        queues = [[], [], []]
        for b in range(3):
            q = queues[b]
            for i in range(b * bl, (b + 1) * bl):
                if count[i] == 1:
                    q.append((i, xmask[i]))
        stack = []
        while queues[0] or queues[1] or queues[2]:
            for b in range(3):
                q = queues[b]
                while q:
                    idx, h = q.pop()
                    if count[idx] == 0:
                        continue
                    stack.append((idx, h))
                    for s in _xor8_slots(h, bl):
                        if s == idx:
                            # the slot the key is peeled from
                            count[s] -= 1
                            xmask[s] ^= h
                            continue
                        count[s] -= 1
                        xmask[s] ^= h
                        if count[s] == 1:
                            queues[s // bl].append((s, xmask[s]))
        if len(stack) == n:
            break
    fp = bytearray(size)
    while stack:
        idx, h = stack.pop()
        s0, s1, s2 = _xor8_slots(h, bl)
        v = _xor8_fp(h) ^ fp[s0] ^ fp[s1] ^ fp[s2]
        # fp[idx] is still 0 here, so v = f ^ (the two other slots)
        fp[idx] = v
    return struct.pack("<QII", seed, bl, 0) + bytes(fp)


def xor8_parse(payload):
    if len(payload) < 16:
        return None
    seed, bl, reserved = struct.unpack_from("<QII", payload, 0)
    if bl < 1 or len(payload) != 16 + 3 * bl:
        return None
    return seed, bl, payload[16:]


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
